import { Card } from '@atum-desk/ui';
import { A } from '@solidjs/router';

/** Shown for any address the customer portal does not know. */
export function NotFoundPage() {
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>Page not found</Card.Title>
      <Card.Body>
        <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
        <p>
          <A href="/">Back to the portal home</A>
        </p>
      </Card.Body>
    </Card.Root>
  );
}
