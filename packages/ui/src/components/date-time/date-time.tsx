import { type JSX, splitProps } from 'solid-js';
import { formatDateTime, formatRelativeTime } from '../../utils/format.ts';

export interface DateTimeProps extends Omit<JSX.TimeHTMLAttributes<HTMLTimeElement>, 'children'> {
  value: Date;
  /** "3 hours ago" instead of the date; the full date stays in the tooltip. */
  relative?: boolean;
  /** The moment relative times count from. Defaults to now. */
  now?: Date;
}

/** A `<time>` with a machine-readable `datetime` and a readable text. */
export function DateTime(props: DateTimeProps) {
  const [local, others] = splitProps(props, ['value', 'relative', 'now']);
  return (
    <time {...others} datetime={local.value.toISOString()} title={formatDateTime(local.value)}>
      {local.relative ? formatRelativeTime(local.value, local.now) : formatDateTime(local.value)}
    </time>
  );
}
