// The journal's module (src/journal/journal.ts), which the build makes into the Storage file `lgjournal`: one
// function, `what` being 'boot', 'add', 'fill' or 'keep'.
declare function require(name: 'lgjournal'): (w: any, what: string, x?: any) => number;
