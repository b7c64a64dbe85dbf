// A weekly schedule editor: one row per weekday (Monday first, Beijing time) where staff add and remove windows.
// It reads and writes the stored shape (windows with their days, start and end as HH:MM): windows with the same
// hours on several days are kept as one window of those days, as the API stores them.
const TIME = /^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$/;
const fill = (template, values) =>
  template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

function el(tag, props = {}, children = []) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/**
 * Builds the editor inside `root`. `windows` is the stored list, `always` whether it applies at all times (no
 * windows). `onChange(state)` is called on every edit with what read() returns.
 */
export function scheduleEditor(root, { windows = [], always, texts, onChange = () => {} }) {
  // per weekday 1..7, its windows as { start, end }
  const days = new Map([1, 2, 3, 4, 5, 6, 7].map((d) => [d, []]));
  for (const w of windows) for (const d of w.days) days.get(d)?.push({ start: w.start, end: w.end });
  for (const list of days.values()) list.sort((a, b) => a.start.localeCompare(b.start));

  const alwaysBox = el('input', { type: 'checkbox', className: 'sched-always', checked: always });
  const rows = el('div', { className: 'sched-days' });
  root.replaceChildren(
    el('label', { className: 'inline' }, [alwaysBox, ` ${texts.always}`]),
    el('p', { className: 'muted', textContent: texts.help }),
    rows,
  );

  const changed = () => onChange(read());

  function renderDay(day) {
    const list = days.get(day);
    const row = el('div', { className: 'sched-day' });
    row.dataset.day = String(day);
    const items = list.map((w, i) => {
      const start = el('input', { className: 'sched-start', value: w.start, maxLength: 5, size: 5 });
      const end = el('input', { className: 'sched-end', value: w.end, maxLength: 5, size: 5 });
      start.setAttribute('aria-label', `${texts.days[day - 1]} ${texts.start}`);
      end.setAttribute('aria-label', `${texts.days[day - 1]} ${texts.end}`);
      start.addEventListener('input', () => ((w.start = start.value.trim()), changed()));
      end.addEventListener('input', () => ((w.end = end.value.trim()), changed()));
      const remove = el('button', {
        type: 'button',
        className: 'secondary sched-remove',
        textContent: texts.remove,
      });
      remove.addEventListener('click', () => {
        list.splice(i, 1);
        row.replaceWith(renderDay(day));
        changed();
      });
      return el('span', { className: 'sched-window' }, [start, ' – ', end, ' ', remove]);
    });
    const add = el('button', { type: 'button', className: 'secondary sched-add', textContent: texts.add });
    add.addEventListener('click', () => {
      list.push({ start: '08:00', end: '20:00' });
      row.replaceWith(renderDay(day));
      changed();
    });
    row.append(
      el('strong', { textContent: texts.days[day - 1] }),
      ' ',
      ...(items.length ? items : [el('span', { className: 'muted', textContent: texts.none })]),
      ' ',
      add,
    );
    return row;
  }

  function render() {
    rows.replaceChildren(...[1, 2, 3, 4, 5, 6, 7].map(renderDay));
    rows.hidden = alwaysBox.checked;
  }
  alwaysBox.addEventListener('change', () => {
    rows.hidden = alwaysBox.checked;
    changed();
  });

  /** The schedule as stored, with the first fault as a sentence (null when there is none). */
  function read() {
    if (alwaysBox.checked) return { always: true, windows: [], error: null };
    const grouped = new Map();
    for (const [day, list] of days) {
      for (const w of list) {
        const bad = [w.start, w.end].find((v) => !TIME.test(v));
        if (bad !== undefined)
          return {
            always: false,
            windows: [],
            error: fill(texts.badTime, { day: texts.days[day - 1], value: bad }),
          };
        if (w.start === w.end)
          return {
            always: false,
            windows: [],
            error: fill(texts.sameTime, { day: texts.days[day - 1], start: w.start, end: w.end }),
          };
        const key = `${w.start}-${w.end}`;
        if (!grouped.has(key)) grouped.set(key, { days: [], start: w.start, end: w.end });
        const window = grouped.get(key);
        if (!window.days.includes(day)) window.days.push(day);
      }
    }
    const out = [...grouped.values()];
    if (out.length === 0) return { always: false, windows: [], error: texts.noWindow };
    return { always: false, windows: out, error: null };
  }

  render();
  return { read };
}
