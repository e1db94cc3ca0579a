// The firmware's actions: everything control() runs (control.ts), each named once, here, with its argument and
// what it gives back. An action's name is also its handler's: `git grep wifiDown` finds lgwifi's `wifiDown`, and
// tsc refuses a call to an action that does not exist or with an argument of the wrong type. Types only: on the
// device an action is its name, a string in the code (in flash), and a module's handlers its exports.
import type * as wifi from './wifi';
import type * as commands from './commands';
import type * as diagnostics from './diagnostics';
import type * as power from '../power/power';
import type { WriterEvents } from '../net/writer';
import type { LuxGraph, Control } from './state';

/**
 * The actions that control() runs itself, each a branch of it, with its arguments: the writer's events
 * (`mqttUp`, `mqttMessage`: src/net/writer.ts) and these two.
 */
export interface OwnActions extends WriterEvents {
  /** Sample every `seconds`: at start, and on a command's `interval`. */
  sampleEvery(seconds: number): void;
  /** One attempt to join the WiFi network: at start, and after lgwifi's backoff wait. */
  wifiJoin(): void;
}

/**
 * The Storage modules control() loads, by the word their actions' names start with: the module of `wifiUp` is the
 * Storage file `lg` + `wifi`, built from wifi.ts (OWN_MODULES in scripts/firmware/own-modules.mjs). Each module's actions
 * are the functions it exports, called as action(LuxGraph, argument, control); tsc refuses one whose name does not
 * start with its module's word.
 */
export interface ControlModules {
  wifi: ModuleExports<'wifi', typeof wifi>;
  command: ModuleExports<'command', typeof commands>;
  diag: ModuleExports<'diag', typeof diagnostics>;
  power: ModuleExports<'power', typeof power>;
}

/** A module's exports, checked: `build` (the id of its upload), and actions named `<word>…`. */
export type ModuleExports<Word extends string, Exports extends { [N in keyof Exports]: N extends 'build' ? string : N extends `${Word}${Capitalize<string>}` ? ModuleHandler : never }> = Exports;

/** A module's action: given LuxGraph, its argument (if any) and control(). */
type ModuleHandler = (L: LuxGraph, arg: never, control: Control) => unknown;

/** The names of the modules' actions. */
type ModuleActionName = { [Word in keyof ControlModules]: Exclude<keyof ControlModules[Word], 'build'> }[keyof ControlModules];

/** The modules' actions, by name: each its handler. */
type ModuleActions = { [A in ModuleActionName]: { [Word in keyof ControlModules]: A extends keyof ControlModules[Word] ? ControlModules[Word][A] : never }[keyof ControlModules] };

/** Every action, by name: control()'s own and the modules'. */
export type Action = keyof OwnActions | ModuleActionName;

/** What a module's handler takes after LuxGraph, as control() is given it: the argument, or nothing. */
type ArgumentOf<Handler extends ModuleHandler> = Parameters<Handler> extends [LuxGraph, ...infer Rest]
  ? Rest extends [] ? [] : Rest extends [infer Arg, ...unknown[]] ? [arg: Arg] : [arg?: Rest[0]]
  : never;

/** What follows an action's name in a call of control(): its argument, or nothing. */
export type ActionArgs<A extends Action> = A extends keyof OwnActions ? Parameters<OwnActions[A]> : A extends ModuleActionName ? ArgumentOf<ModuleActions[A]> : never;

/** What an action gives back. */
export type ActionResult<A extends Action> = A extends keyof OwnActions ? ReturnType<OwnActions[A]> : A extends ModuleActionName ? ReturnType<ModuleActions[A]> : never;
