// Espruino's Linux port at the pinned release, built the ways the tests and the bench run the firmware on a real
// interpreter, into the git-ignored build/espruino/ (`npm run espruino:build`: scripts/espruino-build.mjs).
//
//   esp8266  32-bit, 2000 fixed variables of 12 bytes as on an ESP8266, the ESP8266 build's lighter maths and
//            dates, networking and telnet, no TLS: what the device budget is measured on (ESPRUINO)
//   tls        64-bit with TLS, networking and telnet, and the patch that makes tls.connect check the server's
//              certificate when given a CA: the secure link's tests (ESPRUINO_TLS)
//   tls-stock  the same without that patch, as Espruino 2v29 ships TLS, which checks no certificate: the secure
//              link's tests of what a stock ESP32 does (ESPRUINO_TLS_STOCK)
//
// Each gets the patches in scripts/espruino/patches/ its entry names (see the README there). The source is ESPRUINO_SRC, a tarball
// of Espruino's source or a folder holding it, else a clone of github.com/espruino/Espruino at the release tag. A
// build whose source, patches, settings and this file are unchanged is kept: a second run takes seconds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { ROOT } from '../lib/paths.mjs';

export const RELEASE = 'RELEASE_2V29';
export const REPOSITORY = 'https://github.com/espruino/Espruino';
export const OUT = path.join(ROOT, 'build', 'espruino');
const PATCHES = path.join(ROOT, 'scripts', 'espruino', 'patches');

/** The ESP8266 build's choices where the Linux port differs (targets/esp8266 and boards/ESP8266_4MB.py). */
const ESP8266_DEFINES = ['-DSAVE_ON_FLASH_MATH', '-DESPR_NO_LINE_NUMBERS', '-DESPR_LIMIT_DATE_RANGE'];

/** What a build with TLS has: networking, telnet, and require("tls") with its crypto. */
const TLS_LIBRARIES = ['NET', 'TELNET', 'CRYPTO', 'SHA256', 'SHA512', 'TLS'];

/** The builds: what each board file says, the patches it gets, the variable the tests read its path from, and what its interpreter must report. */
export const VARIANTS = {
  esp8266: {
    env: 'ESPRUINO',
    variables: 2000,
    bits: 32,
    libraries: ['NET', 'TELNET'],
    defines: ESP8266_DEFINES,
    patches: ['linux-console-input.patch'],
    expect: { blocksize: 12, total: 2000 }
  },
  tls: {
    env: 'ESPRUINO_TLS',
    variables: 0,
    bits: 64,
    libraries: TLS_LIBRARIES,
    defines: [],
    patches: ['linux-console-input.patch', 'tls-verify.patch'],
    expect: { checksCertificates: true }
  },
  'tls-stock': {
    env: 'ESPRUINO_TLS_STOCK',
    variables: 0,
    bits: 64,
    libraries: TLS_LIBRARIES,
    defines: [],
    patches: ['linux-console-input.patch'],
    expect: { checksCertificates: false }
  }
};

export class BuildError extends Error {}

/**
 * The board file of a build, made from the Linux port's own (boards/LINUX.py): its fixed variable count, its own
 * binary, its libraries, 32-bit flags where asked, the ESP8266's defines in place of Unicode support. Every place it
 * changes must be where 2v29 has it, or the build stops and says which.
 */
export function boardFile(linuxPy, name, v) {
  let text = linuxPy;
  const swap = (pattern, by, what) => {
    if (!pattern.test(text)) throw new BuildError(`boards/LINUX.py has no ${what} where ${RELEASE} has it: the board file cannot be made`);
    text = text.replace(pattern, by);
  };
  swap(/'variables'\s*:\s*0\s*,/, `'variables' : ${v.variables},`, "'variables'");
  swap(/'binary_name'\s*:\s*'espruino'/, `'binary_name' : '${binaryName(name)}'`, "'binary_name'");
  swap(/'libraries'\s*:\s*\[[^\]]*\]/, `'libraries' : [${v.libraries.map((l) => `'${l}'`).join(', ')}]`, "'libraries' list");
  const flags = [];
  if (v.bits == 32) flags.push("'CFLAGS+=-m32', 'LDFLAGS+=-m32', 'DEFINES+=-DUSE_CALLFUNCTION_HACK',");
  if (v.defines.length) flags.push(`'DEFINES+=${v.defines.join(' ')}',`);
  if (flags.length) swap(/'DEFINES\+=-DESPR_UNICODE_SUPPORT=1',/, flags.join('\n     '), 'Unicode define');
  return text;
}

export const binaryName = (name) => `espruino_luxgraph_${name}`;
export const boardName = (name) => `LUXGRAPH_${name.toUpperCase()}`;
/** Where a build's runnable interpreter is: the binary itself, or a wrapper that runs it through qemu-i386. */
export const interpreterPath = (name, out = OUT) => path.join(out, `espruino-${name}`);

const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, ...opts });
const has = (cmd) => run('sh', ['-c', `command -v ${cmd}`]).status === 0;

/** Whether gcc can build and link a 32-bit program here (gcc-multilib). */
function compiles32() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'm32-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.c'), '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n');
    return run('gcc', ['-m32', path.join(dir, 'a.c'), '-o', path.join(dir, 'a')]).status === 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Debian packages the builds asked for need and this machine lacks, as one list: commands first, then 32-bit
 * support. `check` stands in for the machine in tests.
 */
export function missingPackages(variants, { source, check = { has, compiles32 } } = {}) {
  const missing = [];
  const need = (ok, pkg) => ok || missing.includes(pkg) || missing.push(pkg);
  need(check.has('make'), 'make');
  need(check.has('gcc'), 'gcc');
  need(check.has('python3'), 'python3');
  need(check.has('git'), 'git'); // Espruino's build asks git for its version, and the source is cloned with it
  if (source && /\.(tar\.gz|tgz)$/.test(source)) need(check.has('tar'), 'tar');
  if (variants.some((v) => v.bits == 32) && check.has('gcc') && !check.compiles32()) {
    need(false, 'gcc-multilib');
    need(false, 'g++-multilib');
  }
  return missing;
}

/** What identifies the source, for the cache: a tarball's hash, a folder's path and commit, or the release tag. */
function sourceIdentity(src) {
  if (!src) return `git:${REPOSITORY}#${RELEASE}`;
  const stat = fs.statSync(src);
  if (stat.isFile()) return 'tar:' + crypto.createHash('sha256').update(fs.readFileSync(src)).digest('hex');
  const head = run('git', ['-C', src, 'rev-parse', 'HEAD']);
  return `dir:${path.resolve(src)}:${head.status === 0 ? head.stdout.trim() : stat.mtimeMs}`;
}

/** The cache key of one build: anything that changes the binary changes it. */
export function buildKey(name, v, source) {
  const h = crypto.createHash('sha256');
  h.update(JSON.stringify({ name, v, source }));
  for (const p of v.patches) h.update(fs.readFileSync(path.join(PATCHES, p)));
  h.update(fs.readFileSync(new URL(import.meta.url)));
  return h.digest('hex');
}

function step(what, cmd, args, opts) {
  const r = run(cmd, args, opts);
  if (r.status !== 0) {
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim().split('\n').slice(-30).join('\n');
    throw new BuildError(`${what} failed (${cmd} ${args.join(' ')}):\n${out || r.error?.message || 'no output'}`);
  }
  return r.stdout;
}

/** A fresh, patched source tree for one build in `dir`, committed to git (Espruino's build runs git log). */
function prepareTree(src, dir, v) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (!src) {
    console.log(`cloning ${REPOSITORY} at ${RELEASE}…`);
    step('cloning Espruino', 'git', ['clone', '--quiet', '--depth', '1', '--branch', RELEASE, REPOSITORY, dir]);
  } else if (fs.statSync(src).isFile()) {
    const tmp = fs.mkdtempSync(path.join(path.dirname(dir), 'unpack-'));
    step('unpacking ' + src, 'tar', ['xzf', src, '-C', tmp]);
    const top = fs.readdirSync(tmp);
    const root = top.length == 1 ? path.join(tmp, top[0]) : tmp;
    fs.renameSync(root, dir);
    fs.rmSync(tmp, { recursive: true, force: true });
  } else {
    fs.cpSync(src, dir, { recursive: true, filter: (p) => !p.endsWith(`${path.sep}.git`) });
  }
  if (!fs.existsSync(path.join(dir, 'boards', 'LINUX.py'))) throw new BuildError(`${src || REPOSITORY} holds no Espruino source (no boards/LINUX.py)`);
  const git = (...a) => step('git ' + a[0], 'git', ['-c', 'user.name=luxgraph', '-c', 'user.email=build@luxgraph.invalid', ...a], { cwd: dir });
  if (!fs.existsSync(path.join(dir, '.git'))) {
    git('init', '--quiet');
    git('add', '-A');
    git('commit', '--quiet', '--no-verify', '-m', `Espruino ${RELEASE}`);
  }
  for (const p of v.patches) git('apply', path.join(PATCHES, p));
  git('commit', '--quiet', '--no-verify', '-am', 'luxgraph patches');
}

/**
 * What the interpreter says of itself: its variables { blocksize, total }, and checksCertificates, whether its
 * tls.connect checks the server's certificate (tls-verify.patch adds the flag); or throws with its output.
 */
export function probe(bin) {
  const code = 'var m=process.memory(),t=false;try{t=require("tls").checksCertificates===true}catch(e){}print("@@ "+m.blocksize+" "+m.total+" "+t)';
  const r = run(bin, ['-e', code], { timeout: 30000 });
  const m = /@@ (\d+) (\d+) (true|false)/.exec(r.stdout || '');
  if (!m) throw new BuildError(`${bin} does not run: ${(r.error && r.error.code) || ''} ${(r.stderr || r.stdout || '').trim().slice(0, 300)}`);
  return { blocksize: +m[1], total: +m[2], checksCertificates: m[3] == 'true' };
}

/** Why a build whose interpreter reports something else than it should is no use, by what it reports. */
const EXPECTED = {
  blocksize: 'this build would not count like the device',
  total: 'this build would not count like the device',
  checksCertificates: "the tests could not tell a patched Espruino's certificate check from a stock one's"
};

/**
 * Makes `bin` runnable as `target`: a copy where this kernel runs it, else (a 32-bit program on a kernel without
 * 32-bit support) a wrapper script that runs it through qemu-i386.
 */
export function install(bin, target) {
  fs.copyFileSync(bin, target + '.bin');
  fs.chmodSync(target + '.bin', 0o755);
  fs.rmSync(target, { force: true });
  try {
    probe(target + '.bin');
    fs.renameSync(target + '.bin', target);
    return 'native';
  } catch (e) {
    if (!has('qemu-i386')) throw new BuildError(`${e.message}\nThis kernel cannot run the 32-bit build: install Debian's qemu-user (apt-get install -y qemu-user) and run again`);
    fs.writeFileSync(target, `#!/bin/sh\n# The 32-bit interpreter, through qemu-i386: this kernel cannot run 32-bit programs.\nexec qemu-i386 "${target}.bin" "$@"\n`);
    fs.chmodSync(target, 0o755);
    probe(target);
    return 'qemu-i386';
  }
}

/** Whether one variant is built from `src` with today's patches, settings and script: a run would keep it. */
export function isBuilt(name, { src = process.env.ESPRUINO_SRC, out = OUT } = {}) {
  const keyFile = path.join(out, name, 'key');
  return fs.existsSync(interpreterPath(name, out)) && fs.existsSync(keyFile) && fs.readFileSync(keyFile, 'utf8') == buildKey(name, VARIANTS[name], sourceIdentity(src));
}

/** Builds (or finds built) one variant; returns its interpreter's path. */
export function buildVariant(name, { src = process.env.ESPRUINO_SRC, out = OUT, jobs = os.cpus().length } = {}) {
  const v = VARIANTS[name];
  const target = interpreterPath(name, out);
  const key = buildKey(name, v, sourceIdentity(src));
  const keyFile = path.join(out, name, 'key');
  if (isBuilt(name, { src, out })) {
    console.log(`${name}: built already (${path.relative(ROOT, target)}), source and patches unchanged`);
    return target;
  }
  const tree = path.join(out, name, 'src');
  console.log(`${name}: preparing ${src ? path.basename(src) : RELEASE} with ${v.patches.join(', ')}…`);
  prepareTree(src, tree, v);
  fs.writeFileSync(path.join(tree, 'boards', `${boardName(name)}.py`), boardFile(fs.readFileSync(path.join(tree, 'boards', 'LINUX.py'), 'utf8'), name, v));
  const started = Date.now();
  console.log(`${name}: make BOARD=${boardName(name)} -j${jobs} (a minute or two)…`);
  step(`building ${name}`, 'make', [`-j${jobs}`], { cwd: tree, env: { ...process.env, BOARD: boardName(name), RELEASE: '1' } });
  const how = install(path.join(tree, 'bin', binaryName(name)), target);
  const got = probe(target);
  for (const [k, want] of Object.entries(v.expect))
    if (got[k] !== want) throw new BuildError(`${name}: the interpreter reports ${k} ${got[k]}, not ${want}: ${EXPECTED[k]}`);
  fs.writeFileSync(keyFile, key);
  console.log(`${name}: built in ${Math.round((Date.now() - started) / 1000)} s, runs ${how}, ${got.total || 'resizable'} variables of ${got.blocksize} bytes`);
  return target;
}
