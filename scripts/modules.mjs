// npm run modules:fetch [-- --board name] [<module>…]   npm run modules:update [-- <module> [--url URL]]
//
// The Espruino modules the firmware requires, into the git-ignored modules/ folder the upload reads, checked
// against the SHA-256 that modules.lock.json pins (the lock, the fetch and the cache: scripts/firmware/modules.mjs,
// which names the environment variables that change where they come from and go).
//
//   npm run modules:fetch    fetches what is missing from the URL the lock pins, verified against its SHA-256; a
//                            module with no lock entry is recorded (and the output says so)
//   npm run modules:update   downloads every module again on purpose, shows what changed and rewrites the lock;
//                            `-- MQTT --url URL` pins that module to another source
import fs from 'node:fs';
import path from 'node:path';
import { knownBoards, loadBoard } from './config/index.mjs';
import { answerHelp, formatHelp } from './cli/help.mjs';
import { ModuleError, modulePaths, localSources, readLock, writeLock, neededBySources, walkModules, builtinModules, moduleFile, findLocal, fetchModule, keepInCache, sha256, shortHash } from './firmware/modules.mjs';

const HELP = formatHelp({
  usage: 'npm run modules:fetch -- [--board <name>] [<module>…]   or   npm run modules:update -- [<module> [--url <url>]]',
  about: 'Fetches the Espruino modules the firmware needs into modules/, checked against the SHA-256 in modules.lock.json; modules:update downloads them again and rewrites the lock.',
  options: [
    ['--board <name>', "only the modules this board needs (default: every board's)"],
    ['<module>…', 'only these modules (default: every module the firmware requires)'],
    ['--url <url>', "modules:update of one module: pin it to this source (default: the lock's URL, else https://www.espruino.com/modules)"]
  ],
  examples: ['npm run modules:fetch', 'npm run modules:update -- MQTT']
});

/** npm run modules:fetch / modules:update [-- --board name] [names…] [--url URL] */
async function main() {
  const argv = process.argv.slice(2);
  answerHelp(argv, HELP);
  const update = argv.includes('--update');
  const i = argv.indexOf('--board'), u = argv.indexOf('--url');
  const boards = (i >= 0 ? [argv[i + 1]] : knownBoards()).map(loadBoard);
  const named = argv.filter((a, k) => !a.startsWith('--') && argv[k - 1] != '--board' && argv[k - 1] != '--url');
  const url = u >= 0 ? argv[u + 1] : undefined;
  if (u >= 0 && (!update || named.length != 1 || !url || url.startsWith('--')))
    throw new ModuleError('--url pins one module to a new source: npm run modules:update -- MQTT --url https://…');
  const paths = modulePaths();
  const sources = localSources();
  const lock = readLock(paths.lock);
  const before = JSON.stringify(lock);
  const wanted = [...new Set([...(named.length ? named : neededBySources(boards)), ...(update && !named.length ? Object.keys(lock.modules) : [])])];
  const failures = [];
  await walkModules(wanted, builtinModules(boards), async (name) => {
    const file = moduleFile(paths.dir, name);
    const entry = lock.modules[name];
    try {
      const local = !update && entry ? findLocal(name, entry, sources) : null;
      if (!update && entry && fs.existsSync(file) && sha256(fs.readFileSync(file)) == entry.sha256) console.log(`${name}: present and matches the lock`);
      else if (local) {
        fs.mkdirSync(paths.dir, { recursive: true });
        fs.writeFileSync(file, local.code);
        console.log(`${name}: copied from ${local.dir}, matches the lock (sha256 ${shortHash(entry.sha256)})`);
      } else console.log(await fetchModule(name, { paths, lock, update, url: named.includes(name) ? url : undefined }));
      keepInCache(fs.readFileSync(file), sources.cache);
      return fs.readFileSync(file, 'utf8'); // a module may load others: those are fetched too
    } catch (e) {
      if (!(e instanceof ModuleError)) throw e;
      failures.push(e.message);
      return null;
    }
  });
  if (JSON.stringify(lock) != before || !fs.existsSync(paths.lock)) writeLock(paths.lock, lock);
  if (failures.length) {
    for (const f of failures) console.error(f);
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname))
  main().catch((e) => {
    console.error(`modules: ${e.message}`);
    process.exit(1);
  });
