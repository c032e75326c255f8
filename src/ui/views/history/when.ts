/**
 * Readable points in time for the history screens: "Today 14:05", "Yesterday 09:12",
 * "Mon 3 Mar 14:05" (this year) or "3 Mar 2025 14:05", in the browser's time zone and 24-hour
 * time. `now` is injectable for tests.
 */
export function formatPointInTime(iso: string, now: Date = new Date()): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return 'Unknown time';
  const time = t.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const day = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (day(t) === day(now)) return `Today ${time}`;
  if (day(t) === day(yesterday)) return `Yesterday ${time}`;
  const sameYear = t.getFullYear() === now.getFullYear();
  const date = t.toLocaleDateString('en-GB', sameYear ? { weekday: 'short', day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short', year: 'numeric' });
  return `${date} ${time}`;
}

/** The full date and time, for a tooltip or screen readers: "Monday 3 March 2026 at 14:05". */
export function formatFullTime(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return 'Unknown time';
  return t.toLocaleString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** A file-name-safe stamp in local time: "2026-03-03 14.05". */
export function fileStamp(iso: string): string {
  const t = new Date(iso);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${two(t.getHours())}.${two(t.getMinutes())}`;
}
