/**
 * A map keyed by three strings, held as maps of maps: a lookup hashes the
 * strings as they are and builds no key string (it runs on every request).
 */
export class ThreeKeyMap<V> {
  private readonly root = new Map<string, Map<string, Map<string, V>>>();

  get(first: string, second: string, third: string): V | undefined {
    return this.root.get(first)?.get(second)?.get(third);
  }

  set(first: string, second: string, third: string, value: V): void {
    let level1 = this.root.get(first);
    if (level1 === undefined) {
      level1 = new Map();
      this.root.set(first, level1);
    }
    let level2 = level1.get(second);
    if (level2 === undefined) {
      level2 = new Map();
      level1.set(second, level2);
    }
    level2.set(third, value);
  }
}
