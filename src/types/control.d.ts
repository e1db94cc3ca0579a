// The firmware's own Storage modules that control() loads by name (src/control/control.ts): each exports its
// actions, called as action(LuxGraph, argument, control), and `build`, the id of the upload it came with.
interface ControlModule {
  build: string;
  [action: string]: any;
}
declare function require(name: `lg${string}`): ControlModule;
