// The journal's module (src/journal/journal.ts), which the build makes into the Storage file `lgjournal`: one
// function, asked for a work on the writer: 'boot', 'add', 'fill' or 'keep'.
declare function require(name: 'lgjournal'): (host: import('../journal/host').JournalHost, work: import('../journal/host').JournalWork) => void;
