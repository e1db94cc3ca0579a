// The build: the firmware's bundle (bundle.mjs) minified for the device (minify.mjs) and checked (es5-checks.mjs),
// with the firmware's own modules beside it (own-modules.mjs) and the id of its upload written in (buildFirmware).
// `npm run build` (scripts/build.mjs) runs it on the user's config.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { ROOT, readConfigFile, validateConfig, configTrackedWarnings } from '../config/index.mjs';
import { cachedBuild } from '../lib/build-cache.mjs';
import { distDir } from '../lib/paths.mjs';
import { ownActionNames, actionLetters, shortenActions } from './actions.mjs';
import { packStates } from './packed-state.mjs';
import { inlineSteps } from './inline-steps.mjs';
import { fuseSteps } from './fuse-steps.mjs';
import { keepSecretsWhole } from './secret-pieces.mjs';
import { secretValues } from '../cli/redact-stream.mjs';
import { SRC, FIRMWARE_ENTRY, bundleES5 } from './bundle.mjs';
import { minifyES5, moduleConstants, anonymousExport } from './minify.mjs';
import { assertES5, assertDeclaredBeforeUse } from './es5-checks.mjs';
import { ownModules, BUILD_ID } from './own-modules.mjs';

/**
 * Builds the firmware for a validated config. Returns { code (minified, what is flashed), debug (readable),
 * sizes }. `entry` lets tools build another entry file the same way.
 */
export function buildFirmware({ board, firmware, entry = FIRMWARE_ENTRY }) {
  const source = typeof entry == 'string' ? fs.readFileSync(entry, 'utf8') : entry.code;
  return cachedBuild({ board, firmware, entry, source }, () => build(board, firmware, entry));
}

async function build(board, firmware, entry) {
  const debug = await bundleES5(entry, board, firmware);
  assertES5(debug, 'readable bundle');
  const nameCache = {};
  // control()'s own actions as a letter apiece, the same in the firmware and its modules (scripts/firmware/actions.mjs)
  const letters = actionLetters(await ownActionNames());
  const { code: bundled, constants } = moduleConstants(shortenActions(debug, letters));
  const code = await minifyES5(bundled, { global: true, nameCache, constants });
  assertES5(code, 'minified bundle');
  // what is flashed must keep the literal require("MQTT") that espruino-cli resolves (other entries may not use MQTT)
  if (entry === FIRMWARE_ENTRY && !code.includes('require("MQTT")')) throw new Error('bundle lost the literal require("MQTT") that espruino-cli resolves');
  // the firmware's own modules, minified after it with the same names for the `_fields` they share
  const modules = [];
  for (const m of ownModules(firmware, debug)) modules.push({ name: m.name, code: await buildModule(path.join(SRC, m.entry), firmware, nameCache, letters) });
  return withBuildId({ code, debug, modules }, firmware ? secretValues(firmware) : []);
}

/**
 * The build with its id written in: a hash of the firmware's code and its modules'. control() loads a module only
 * when the module has the same id, so one left in Storage by another upload (whose shortened `_field` names may
 * differ) is never run. Last, each literal holding one of `secrets` is kept inside one of the pieces the upload
 * writes the code to Storage in (scripts/firmware/secret-pieces.mjs), so that the redaction of flash's output sees
 * it whole.
 */
function withBuildId(built, secrets) {
  const hash = crypto.createHash('sha256');
  for (const code of [built.code, ...built.modules.map((m) => m.code)]) hash.update(code).update('\0');
  const id = JSON.stringify(hash.digest('hex').slice(0, 8));
  const put = (code) => code.replace(new RegExp(`\\b${BUILD_ID}\\b`, 'g'), id);
  const code = keepSecretsWhole(put(built.code), secrets);
  return {
    code,
    debug: put(built.debug),
    modules: built.modules.map((m) => ({ ...m, code: put(m.code) })),
    sizes: { raw: built.debug.length, minified: code.length, gzip: zlib.gzipSync(code).length }
  };
}

/**
 * A module of the firmware's own, as Espruino's require() runs a Storage file: CommonJS (`exports.boot = …`),
 * minified with the firmware's `nameCache`, so that the `_fields` it shares with the firmware have the same names,
 * and with control()'s own actions as the firmware's `letters` for them. A module whose default export is a
 * function (the journal's) is made one function of its named steps, each step called /*@__INLINE__*\/ put in
 * place, and each state marked @packed kept as an Int32Array (scripts/firmware).
 */
async function buildModule(entry, firmware, nameCache, letters) {
  const what = `module ${path.basename(entry)}`;
  const { texts } = await packStates(entry);
  const { code: bundled, constants } = moduleConstants(shortenActions(await bundleES5(entry, null, firmware, 'cjs', texts), letters));
  const steps = exportsFunction(bundled);
  const fused = steps ? fuseSteps(inlineSteps(bundled, what), what) : bundled;
  const code = anonymousExport(await minifyES5(fused, { nameCache, constants, steps }), what);
  assertES5(code, what);
  assertDeclaredBeforeUse(code, what);
  return code;
}

/** Whether a CommonJS bundle's export is one function (`module.exports = name;`) rather than named exports. */
const exportsFunction = (code) => /^module\.exports = [\w$]+;$/m.test(code);

/**
 * Writes a build into `dist`: firmware.js (what is flashed) and firmware.debug.js (readable), always both, so a
 * debug file from an earlier config never sits next to a new firmware. Returns the firmware file.
 */
export function writeBuild(built, dist) {
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'firmware.js'), built.code);
  fs.writeFileSync(path.join(dist, 'firmware.debug.js'), built.debug);
  return path.join(dist, 'firmware.js');
}

/** Validates the config named by { config, board } (default config.json), builds, writes dist/ (see distDir); returns the build. */
export async function buildFromOptions(opts) {
  const file = path.resolve(opts.config || path.join(ROOT, 'config.json'));
  for (const w of configTrackedWarnings(file)) console.error(w);
  const { board, firmware } = validateConfig(readConfigFile(file), { file: path.relative(process.cwd(), file) || file, board: opts.board });
  const built = await buildFirmware({ board, firmware });
  const written = writeBuild(built, distDir());
  return { ...built, board, firmware, file, written };
}
