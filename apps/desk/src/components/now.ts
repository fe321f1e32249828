import { type Accessor, createSignal, onCleanup } from 'solid-js';

/** The current time as a signal that ticks every `intervalMs` while the caller is shown. */
export function createNow(intervalMs = 15_000): Accessor<Date> {
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), intervalMs);
  onCleanup(() => clearInterval(timer));
  return now;
}
