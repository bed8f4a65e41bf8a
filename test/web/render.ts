/** Renders the item page to HTML without a server, for view tests. */
import type { Item } from '../../src/domain/index.js';
import type { ItemWork } from '../../src/domain/work.js';
import { ItemPage } from '../../src/web/views/item.js';
import type { Viewer } from '../../src/web/views/item/work.js';

export async function renderToString(item: Item, work?: ItemWork, viewer?: Viewer): Promise<string> {
  return String(await ItemPage({ item, work, viewer }));
}
