// The user's config.json: read (with its secrets file merged in), validated, and what the tools print about it.
// One concern per file in scripts/config/; this is their single entry.
export { ROOT } from '../lib/paths.mjs';
export { ConfigError } from './error.mjs';
export { knownBoards, loadBoard, describePin } from './boards.mjs';
export { secretsFile, trackedByGit, configTrackedWarnings } from './paths.mjs';
export { parseJson, readConfigFile } from './secrets.mjs';
export { tlsWords } from './certificates.mjs';
export { GAINS, validateConfig, tcpAddress, topicProblem, hostProblem, boardWarnings, redact, boardFeatures, featureLine } from './rules.mjs';
