import { Card } from '@atum-desk/ui';
import { A } from '@solidjs/router';

/** Welcome page at the root of the customer portal. */
export function HomePage() {
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>Customer portal</Card.Title>
      <Card.Body>
        <p>
          Open a ticket, follow its progress and reply to our team in one place. Sign in with the account your
          organization’s administrator set up for you.
        </p>
        <div>
          <A href="/login" class="atum-button" data-variant="primary">
            Sign in
          </A>
        </div>
      </Card.Body>
    </Card.Root>
  );
}
