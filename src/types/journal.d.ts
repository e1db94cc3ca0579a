// The journal's module (src/journal/journal.ts), which the build makes into the Storage file `lgjournal`.
interface JournalModule {
  boot(w: any): void;
  add(w: any, x: any): number;
  fill(w: any): void;
  keep(w: any): void;
  [what: string]: (w: any, x?: any) => any;
}
declare function require(name: 'lgjournal'): JournalModule;
