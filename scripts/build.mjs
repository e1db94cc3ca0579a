// Builds dist/firmware.js: TypeScript → ES5, bundled into one self-starting file with the config baked in,
// minified. Run as `npm run build [-- --config file] [--board name]`, or import buildFirmware().
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import * as acorn from 'acorn';
import { ROOT, ConfigError, readConfigFile, validateConfig, redact, configTrackedWarnings } from './config.mjs';

const SRC = path.join(ROOT, 'src');

/** Rollup plugin: each .ts file through TypeScript alone (types are checked by `tsc`, not here). */
function typescript(ts) {
  const compilerOptions = { target: ts.ScriptTarget.ES5, module: ts.ModuleKind.ESNext, noEmitHelpers: true, removeComments: true };
  return {
    name: 'typescript',
    resolveId(id, importer) {
      if (importer && id.startsWith('.')) return path.resolve(path.dirname(importer), id + (id.endsWith('.ts') ? '' : '.ts'));
      return null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      return ts.transpileModule(code, { compilerOptions, fileName: id }).outputText;
    }
  };
}

// TypeScript's ES5 classes call __extends; one small copy serves the whole bundle.
const EXTENDS = 'function __extends(d, b) { d.prototype = Object.create(b.prototype); d.prototype.constructor = d; }';

/** The code the bundle starts with: board globals and the validated config. */
function defines(board, firmware) {
  return [
    `var BOARD_I2C = ${board.i2c}, BOARD_SDA = ${board.sda}, BOARD_SCL = ${board.scl};`,
    `var CONFIG = ${JSON.stringify(firmware)};`,
    EXTENDS
  ].join('\n');
}

/** Checks that code parses as ECMAScript 5; throws with the position otherwise. */
export function assertES5(code, what = 'bundle') {
  try {
    acorn.parse(code, { ecmaVersion: 5, sourceType: 'script' });
  } catch (e) {
    throw new Error(`${what} is not ES5: ${e.message}`);
  }
}

export async function minifyES5(code) {
  const { minify } = await import('terser');
  const out = await minify(code, {
    ecma: 5,
    toplevel: true,
    compress: { passes: 3, unsafe_math: false, pure_getters: true },
    mangle: true,
    format: { ecma: 5, ascii_only: true }
  });
  return out.code;
}

/**
 * Builds the firmware for a validated config. Returns { code (minified, what is flashed), debug (readable),
 * sizes }. `entry` lets tools build another entry file the same way.
 */
export async function buildFirmware({ board, firmware, entry = path.join(SRC, 'main.ts') }) {
  // loaded here, not at the top, so a config error is reported without waiting for the compiler
  const { default: ts } = await import('typescript');
  const { rollup } = await import('rollup');
  const bundle = await rollup({ input: entry, plugins: [typescript(ts)], treeshake: { moduleSideEffects: true } });
  const { output } = await bundle.generate({ format: 'iife', intro: defines(board, firmware), generatedCode: 'es5', strict: false });
  await bundle.close();
  const debug = output[0].code;
  assertES5(debug, 'readable bundle');
  const code = await minifyES5(debug);
  assertES5(code, 'minified bundle');
  if (!code.includes('require("MQTT")')) throw new Error('bundle lost the literal require("MQTT") that espruino-cli resolves');
  return { code, debug, sizes: { raw: debug.length, minified: code.length, gzip: zlib.gzipSync(code).length } };
}

/** Reads the command line's --config/--board, validates, builds; returns the build and what it wrote. */
export async function buildFromArgs(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const file = path.resolve(arg('--config') || path.join(ROOT, 'config.json'));
  for (const w of configTrackedWarnings(file)) console.error(w);
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: arg('--board') });
  const built = await buildFirmware({ board, firmware });
  const dist = path.join(ROOT, 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'firmware.js'), built.code);
  fs.writeFileSync(path.join(dist, 'firmware.debug.js'), built.debug);
  return { ...built, board, firmware, file };
}

async function main() {
  try {
    const { sizes, board, firmware } = await buildFromArgs(process.argv.slice(2));
    const c = redact(firmware);
    console.log(`built dist/firmware.js for ${board.name} (${board.i2c} SDA ${board.sda} SCL ${board.scl})`);
    console.log(`  WiFi '${c.wifi.ssid}', broker ${c.mqtt.host}:${c.mqtt.port}, topic '${c.mqtt.topic}', sensor '${c.sensor.id}' every ${c.sensor.intervalSeconds} s`);
    console.log(`  size: ${sizes.raw} bytes raw, ${sizes.minified} bytes minified (${sizes.gzip} gzipped)`);
  } catch (e) {
    console.error(e instanceof ConfigError ? `config error in ${e.message}` : `build failed: ${e.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname)) main();
