import * as Card from '../card/index.ts';

export interface NotFoundProps {
  /** Where the way back leads, e.g. `/portal/`. */
  homeHref: string;
  /** The accessible name of that link, e.g. "Back to the portal home". */
  homeLabel: string;
}

/** The page shown for an address an app does not know. */
export function NotFound(props: NotFoundProps) {
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>Page not found</Card.Title>
      <Card.Body>
        <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <p>
          <a href={props.homeHref}>{props.homeLabel}</a>
        </p>
      </Card.Body>
    </Card.Root>
  );
}
