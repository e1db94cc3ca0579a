/**
 * Types a plain constructor function as the constructor `C` it is: `f`'s `this` and parameters are checked against
 * C's instance and arguments, and `new` on the result gives that instance. Not a class, whose ES5 form keeps a
 * scope of its own on the device. It returns `f` itself and the minifier inlines it, so the bundle holds the plain
 * function and its prototype, as if written without it. TypeScript has no other way to type a function for `new`.
 */
export function constructorOf<C extends abstract new (...args: never[]) => unknown>(f: (this: InstanceType<C>, ...args: ConstructorParameters<C>) => void): C {
  return f as unknown as C;
}
