// npm run espruino:build [-- --only esp8266|tls|tls-stock]: Espruino's Linux port at the pinned release, built into
// build/espruino/ the ways the tests and the bench run the firmware on it (scripts/espruino/build.mjs says each
// build and its patches), then the lines that point the tests and the bench at it. The source is ESPRUINO_SRC, a
// tarball of Espruino's source or a folder holding it, else a clone at the release tag.
import fs from 'node:fs';
import path from 'node:path';
import { answerHelp, formatHelp } from './cli/help.mjs';
import { RELEASE, REPOSITORY, VARIANTS, BuildError, missingPackages, buildVariant } from './espruino/build.mjs';

const HELP = formatHelp({
  usage: `npm run espruino:build -- [--only ${Object.keys(VARIANTS).join('|')}]`,
  about:
    `Builds Espruino's Linux port at ${RELEASE} into build/espruino/ (the builds: ${Object.keys(VARIANTS).join(', ')}) and prints the lines ` +
    `that point the tests and the bench at it. Its source is ESPRUINO_SRC, a .tar.gz of Espruino's source or a folder ` +
    `holding it (default: git clone ${REPOSITORY} at ${RELEASE}, which needs the internet).`,
  options: [['--only <name>', `build one of ${Object.keys(VARIANTS).join(', ')} (default: all)`]],
  examples: ['ESPRUINO_SRC=../shared/espruino/espruino-2v29.tar.gz npm run espruino:build', 'export ESPRUINO=$PWD/build/espruino/espruino-esp8266 && npm test']
});

function main(argv) {
  answerHelp(argv, HELP);
  const at = argv.indexOf('--only');
  const names = at >= 0 ? [argv[at + 1]] : Object.keys(VARIANTS);
  const unknown = argv.filter((a, i) => a != '--only' && argv[i - 1] != '--only');
  if (unknown.length || names.some((n) => !VARIANTS[n]))
    throw new BuildError(`${unknown[0] || names[0] || '--only'}: not understood. Builds: ${Object.keys(VARIANTS).join(', ')}\n\n${HELP}`);
  const src = process.env.ESPRUINO_SRC ? path.resolve(process.env.ESPRUINO_SRC) : undefined;
  if (src && !fs.existsSync(src)) throw new BuildError(`ESPRUINO_SRC=${process.env.ESPRUINO_SRC} does not exist: name a tarball of Espruino's source or a folder holding it`);
  const missing = missingPackages(names.map((n) => VARIANTS[n]), { source: src });
  if (missing.length) throw new BuildError(`missing what the build needs: ${missing.join(', ')}\nInstall with: apt-get install -y ${missing.join(' ')}`);
  const built = names.map((n) => [VARIANTS[n].env, buildVariant(n, { src })]);
  console.log('\nPoint the tests and the bench at it:');
  for (const [env, p] of built) console.log(`export ${env}=${p}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) == path.resolve(new URL(import.meta.url).pathname)) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BuildError)) throw e;
    console.error(`espruino:build: ${e.message}`);
    process.exit(1);
  }
}
