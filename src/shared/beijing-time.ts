/**
 * Beijing time as the bureau, its documents and its evidence captions write it: `2026-03-02 10:15:03`, in
 * Asia/Shanghai whatever the process's own time zone. (`h23` avoids the "24:00:00" some engines print for
 * midnight with `hour12: false`.)
 */
const BEIJING = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export function beijingTime(at: Date): string {
  return BEIJING.format(at);
}
