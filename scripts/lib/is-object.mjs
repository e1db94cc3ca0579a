/** A plain JSON object: not null, not an array. */
export const isObj = (v) => v !== null && typeof v == 'object' && !Array.isArray(v);
