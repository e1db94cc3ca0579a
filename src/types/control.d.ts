// The firmware's own Storage modules that control() loads by name (src/control/control.ts): each exports its
// actions, called as action(LuxGraph, argument, control), and `build`, the id of the upload it came with. Which
// modules there are, and their actions' types: src/control/actions.ts.
interface ControlModule {
  build: string;
  [action: string]: string | ControlModuleAction;
}
type ControlModuleAction = (L: import('../control/state').LuxGraph, arg: unknown, control: import('../control/state').Control) => unknown;
declare function require(name: `lg${string}`): ControlModule;
