// @ts-check
// The chosen files: a file input plus a drop zone, listed with their sizes, a remove button and,
// where the order matters (combine), buttons to move a file up or down. The list is the one
// source of what gets uploaded, so a file dropped and a file picked are treated alike.
import { el, formatBytes } from './dom.js';

export class FileList {
  /** @type {File[]} */
  files = [];

  /**
   * @param {{ input: HTMLInputElement, zone: HTMLElement, list: HTMLElement, onChange: () => void, onAdd: () => void }} parts
   *   onChange: after every change of the list; onAdd: after the user chose or dropped files
   */
  constructor(parts) {
    this.parts = parts;
    /** Several files (combine, archive) or one (every other mode). */
    this.multiple = false;
    /** Show the move buttons (the order is the order of the pages). */
    this.ordered = false;
    parts.input.addEventListener('change', () => {
      this.add([...(parts.input.files ?? [])]);
      // The list holds the files: clearing the input lets the same file be picked again.
      parts.input.value = '';
    });
    parts.zone.addEventListener('dragover', (event) => {
      event.preventDefault();
      parts.zone.classList.add('dragging');
    });
    parts.zone.addEventListener('dragleave', () => parts.zone.classList.remove('dragging'));
    parts.zone.addEventListener('drop', (event) => {
      event.preventDefault();
      parts.zone.classList.remove('dragging');
      this.add([...(event.dataTransfer?.files ?? [])]);
    });
  }

  /** @param {{ multiple: boolean, ordered: boolean }} shape */
  configure(shape) {
    this.multiple = shape.multiple;
    this.ordered = shape.ordered;
    this.parts.input.multiple = shape.multiple;
    if (!shape.multiple && this.files.length > 1) this.files = this.files.slice(-1);
    this.render();
  }

  /** @param {File[]} files */
  add(files) {
    if (files.length === 0) return;
    this.files = this.multiple ? [...this.files, ...files] : files.slice(-1);
    this.render();
    this.parts.onAdd();
  }

  clear() {
    this.files = [];
    this.render();
  }

  /** @param {number} from @param {number} to @param {string} label the pressed button's, to keep the focus on it */
  move(from, to, label) {
    const [file] = this.files.splice(from, 1);
    if (file !== undefined) this.files.splice(to, 0, file);
    this.render();
    // The list was drawn anew: keep the keyboard on the moved file (its other button at an end).
    const buttons = [...this.parts.list.querySelectorAll('li')][to]?.querySelectorAll('button') ?? [];
    const same = [...buttons].find((b) => b.getAttribute('aria-label') === label && !b.hasAttribute('disabled'));
    (same ?? [...buttons].find((b) => !b.hasAttribute('disabled')))?.focus();
  }

  /** @param {number} index */
  remove(index) {
    this.files.splice(index, 1);
    this.render();
    // Focus goes to the next file's Remove button, or back to the file input.
    const next = [...this.parts.list.querySelectorAll('li')][Math.min(index, this.files.length - 1)];
    (/** @type {HTMLElement | null | undefined} */ (next?.querySelector('button:last-of-type')) ?? this.parts.input).focus();
  }

  render() {
    const last = this.files.length - 1;
    const items = this.files.map((file, i) => {
      const buttons = [button('Remove', `Remove ${file.name}`, () => this.remove(i))];
      if (this.ordered) {
        const up = `Move ${file.name} up`;
        const down = `Move ${file.name} down`;
        buttons.unshift(button('↑', up, () => this.move(i, i - 1, up), i === 0), button('↓', down, () => this.move(i, i + 1, down), i === last));
      }
      return el('li', {}, [el('span', { class: 'name' }, [file.name]), ` ${formatBytes(file.size)} `, ...buttons]);
    });
    this.parts.list.replaceChildren(...items);
    this.parts.list.hidden = items.length === 0;
    this.parts.onChange();
  }
}

/** @param {string} text @param {string} label @param {() => void} onClick @param {boolean} [disabled] */
function button(text, label, onClick, disabled = false) {
  const node = el('button', { type: 'button', class: 'small', 'aria-label': label, disabled }, [text]);
  node.addEventListener('click', onClick);
  return node;
}
