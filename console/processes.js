// @ts-check
// The key's recent processes (/processes), newest first, each with a link and a delete button.
import { absolute, call } from './api.js';
import { byId, el } from './dom.js';

/** Counts the loads: only the latest one's answer is shown (a list for the key before may come later). */
let loads = 0;

/** @param {string} key @param {(error: unknown) => void} onError */
export async function loadProcesses(key, onError) {
  const load = ++loads;
  const list = byId('processes');
  if (key === '') {
    list.replaceChildren(el('li', {}, ['Enter your API key to see your processes.']));
    return;
  }
  try {
    const processes = await call('/processes', { key });
    if (load !== loads) return;
    const items = processes.slice(0, 20).map((/** @type {any} */ p) => {
      const remove = el('button', { type: 'button', class: 'delete', 'aria-label': `Delete process ${p.id}` }, ['Delete']);
      remove.addEventListener('click', async () => {
        await call(p.url, { method: 'DELETE' }).catch(onError);
        await loadProcesses(key, onError);
      });
      return el('li', {}, [el('a', { href: absolute(p.url) }, [p.id]), ` ${p.step} · ${p.starttime} `, remove]);
    });
    list.replaceChildren(...(items.length > 0 ? items : [el('li', {}, ['No processes yet.'])]));
  } catch (error) {
    if (load !== loads) return;
    list.replaceChildren(el('li', {}, [error instanceof Error ? error.message : String(error)]));
  }
}
