/** An item of a RecencyList: the list's links live on the item itself, so moving it allocates nothing. */
export interface Linked<T> {
  older: T | undefined;
  newer: T | undefined;
}

/**
 * Least-recently-used order as a doubly linked list through the items. A hit moves its item to the newest end in
 * O(1) without touching any hash table (re-inserting into a Map on every hit churned the table: deleted slots
 * piled up until a rehash of the whole tier, and each hit's freshly built key string became the Map's key).
 */
export class RecencyList<T extends Linked<T>> {
  private oldestItem: T | undefined;
  private newestItem: T | undefined;

  get oldest(): T | undefined {
    return this.oldestItem;
  }

  /** Adds `item` (not in the list) as the most recent. */
  push(item: T): void {
    item.older = this.newestItem;
    item.newer = undefined;
    if (this.newestItem === undefined) this.oldestItem = item;
    else this.newestItem.newer = item;
    this.newestItem = item;
  }

  /** Makes `item` (in the list) the most recent. */
  touch(item: T): void {
    if (this.newestItem === item) return;
    this.unlink(item);
    this.push(item);
  }

  /** Takes `item` (in the list) out. */
  unlink(item: T): void {
    if (item.older === undefined) this.oldestItem = item.newer;
    else item.older.newer = item.newer;
    if (item.newer === undefined) this.newestItem = item.older;
    else item.newer.older = item.older;
    item.older = undefined;
    item.newer = undefined;
  }
}
