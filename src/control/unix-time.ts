// Whether the clock is Unix time yet: getTime() counts seconds since boot until SNTP (or setTime) sets it. The
// build writes the number in where it is used.

/** A clock below this many seconds counts from boot: SNTP has not set it to Unix time. */
export const UNIX_TIME = 1e9;
