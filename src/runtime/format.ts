/** Writes an array as `open item, item close`, each item through `item`: shared by Output and the MQTT payload. */
export function joinItems(x: any[], open: string, close: string, item: (v: any) => string): string {
  return open + x.map(item).join(', ') + close;
}
