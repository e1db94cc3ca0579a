// npm run espruino:build: the board files it makes from Espruino's own, what it asks for when the machine lacks
// packages, and a second run that keeps the build (where one was made from ESPRUINO_SRC, as CI makes it).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.mjs';
import { boardFile, missingPackages, interpreterPath, install, isBuilt, probe, VARIANTS, BuildError } from '../scripts/espruino/build.mjs';

// the parts of 2v29's boards/LINUX.py the build changes, as that file has them
const LINUX_PY = `info = {
 'name' : "Normal Linux Compile",
 'variables' :  0, # 0 = resizable variables, rather than fixed
 'binary_name' : 'espruino',
 'build' : {
   'libraries' : [
     'NET',
     'TENSORFLOW',
     'TLS',
   ],
   'makefile' : [
#     'CFLAGS+=-m32', 'LDFLAGS+=-m32', 'DEFINES+=-DUSE_CALLFUNCTION_HACK', # For testing 32 bit builds
     'DEFINES+=-DESPR_UNICODE_SUPPORT=1',
     'LINUX=1',
   ]
 }
};`;

test('the ESP8266-like board file: 2000 fixed variables, 32-bit, its own binary, no TLS, the ESP8266 build\'s defines', () => {
  const py = boardFile(LINUX_PY, 'esp8266', VARIANTS.esp8266);
  assert.match(py, /'variables' : 2000,/);
  assert.match(py, /'binary_name' : 'espruino_luxgraph_esp8266'/);
  assert.match(py, /'libraries' : \['NET', 'TELNET'\]/);
  assert.match(py, /^ {5}'CFLAGS\+=-m32', 'LDFLAGS\+=-m32'/m);
  assert.match(py, /'DEFINES\+=-DSAVE_ON_FLASH_MATH -DESPR_NO_LINE_NUMBERS -DESPR_LIMIT_DATE_RANGE',/);
  assert.doesNotMatch(py, /ESPR_UNICODE_SUPPORT|TENSORFLOW|'TLS'/);
});

test('the TLS board file: 64-bit, resizable variables, TLS and its crypto', () => {
  const py = boardFile(LINUX_PY, 'tls', VARIANTS.tls);
  assert.match(py, /'variables' : 0,/);
  assert.match(py, /'libraries' : \['NET', 'TELNET', 'CRYPTO', 'SHA256', 'SHA512', 'TLS'\]/);
  assert.doesNotMatch(py, /^ {5}'CFLAGS\+=-m32'/m);
  assert.match(py, /ESPR_UNICODE_SUPPORT/, 'nothing to put in its place: Unicode support stays');
});

test('the stock TLS build is the TLS build without the certificate check\'s patch', () => {
  const { patches, ...tls } = VARIANTS.tls, { patches: stockPatches, ...stock } = VARIANTS['tls-stock'];
  assert.deepEqual({ ...stock, env: tls.env, expect: tls.expect }, tls, 'the same board but for its variable and what it reports');
  assert.deepEqual(patches, [...stockPatches, 'tls-verify.patch']);
  assert.match(boardFile(LINUX_PY, 'tls-stock', VARIANTS['tls-stock']), /'binary_name' : 'espruino_luxgraph_tls-stock'/);
});

const tlsBuilds = process.env.ESPRUINO_TLS && process.env.ESPRUINO_TLS_STOCK;
test('the patched TLS interpreter says it checks certificates, the stock one does not', { skip: tlsBuilds ? false : 'ESPRUINO_TLS and ESPRUINO_TLS_STOCK are not both set (npm run espruino:build makes them)' }, () => {
  assert.equal(probe(process.env.ESPRUINO_TLS).checksCertificates, true);
  assert.equal(probe(process.env.ESPRUINO_TLS_STOCK).checksCertificates, false);
});

test('a LINUX.py that is not 2v29\'s stops the build, naming what it lacks', () => {
  assert.throws(() => boardFile(LINUX_PY.replace("'binary_name' : 'espruino'", "'binary' : 'x'"), 'esp8266', VARIANTS.esp8266), (e) => e instanceof BuildError && /no 'binary_name'/.test(e.message));
});

test('missing packages are named together, the 32-bit ones only when gcc cannot build 32-bit programs', () => {
  const machine = (lacks, m32) => ({ has: (cmd) => !lacks.includes(cmd), compiles32: () => m32 });
  assert.deepEqual(missingPackages([VARIANTS.esp8266, VARIANTS.tls], { check: machine([], true) }), []);
  assert.deepEqual(missingPackages([VARIANTS.esp8266], { check: machine([], false) }), ['gcc-multilib', 'g++-multilib']);
  assert.deepEqual(missingPackages([VARIANTS.tls], { check: machine([], false) }), [], 'the 64-bit build needs no multilib');
  assert.deepEqual(missingPackages([VARIANTS.esp8266], { source: 'e.tar.gz', check: machine(['git', 'tar', 'make'], true) }), ['make', 'git', 'tar']);
});

test('run on a machine without the build tools, it says which Debian packages to install, in one error', () => {
  // a PATH with a shell and nothing else
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'nopath-'));
  fs.symlinkSync('/bin/sh', path.join(bin, 'sh'));
  const r = spawnSync(process.execPath, ['scripts/espruino-build.mjs'], { cwd: ROOT, encoding: 'utf8', env: { PATH: bin, HOME: os.tmpdir() } });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^espruino:build: missing what the build needs: make, gcc, python3, git\nInstall with: apt-get install -y make gcc python3 git$/m);
});

test('--help gives the usage, the builds and an example; an unknown build is refused', () => {
  const help = spawnSync(process.execPath, ['scripts/espruino-build.mjs', '--help'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^usage: npm run espruino:build/);
  assert.match(help.stdout, /ESPRUINO_SRC=\.\.\/shared\/espruino\/espruino-2v29\.tar\.gz npm run espruino:build/);
  const wrong = spawnSync(process.execPath, ['scripts/espruino-build.mjs', '--only', 'esp9000'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(wrong.status, 1);
  assert.match(wrong.stderr, /esp9000: not understood\. Builds: esp8266, tls/);
});

const built = process.env.ESPRUINO_SRC && fs.existsSync(path.resolve(process.env.ESPRUINO_SRC)) && isBuilt('esp8266', { src: path.resolve(process.env.ESPRUINO_SRC) });
test('a second run keeps the build: nothing made again, the same interpreter, the line to use it', { skip: built ? false : 'needs a current build made from ESPRUINO_SRC (ESPRUINO_SRC=… npm run espruino:build, as .ci/run does)' }, () => {
  const before = fs.statSync(interpreterPath('esp8266')).mtimeMs;
  const r = spawnSync(process.execPath, ['scripts/espruino-build.mjs', '--only', 'esp8266'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^esp8266: built already \(build\/espruino\/espruino-esp8266\), source and patches unchanged$/m);
  assert.match(r.stdout, new RegExp(`^export ESPRUINO=${interpreterPath('esp8266')}$`, 'm'));
  assert.equal(fs.statSync(interpreterPath('esp8266')).mtimeMs, before);
});

test('a binary this kernel cannot run gets a wrapper that runs it through qemu-i386, and the wrapper is what the tests use', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'qemu-'));
  // a "32-bit build" this kernel refuses (no ELF, no #!: exec fails), and a qemu-i386 that stands in for the real one
  const bin = path.join(dir, 'espruino_luxgraph_esp8266');
  fs.writeFileSync(bin, '\x7fNOT-AN-EXECUTABLE-HERE\n');
  const tools = path.join(dir, 'tools');
  fs.mkdirSync(tools);
  fs.writeFileSync(path.join(tools, 'qemu-i386'), `#!/bin/sh\n[ "$1" = "${path.join(dir, 'espruino-esp8266')}.bin" ] && echo "@@ 12 2000 false"\n`);
  fs.chmodSync(path.join(tools, 'qemu-i386'), 0o755);
  const PATH = process.env.PATH;
  process.env.PATH = `${tools}:${PATH}`;
  try {
    assert.equal(install(bin, path.join(dir, 'espruino-esp8266')), 'qemu-i386');
  } finally {
    process.env.PATH = PATH;
  }
  const wrapper = fs.readFileSync(path.join(dir, 'espruino-esp8266'), 'utf8');
  assert.match(wrapper, new RegExp(`^#!/bin/sh\\n.*\\nexec qemu-i386 "${path.join(dir, 'espruino-esp8266')}\\.bin" "\\$@"\\n$`));
});
