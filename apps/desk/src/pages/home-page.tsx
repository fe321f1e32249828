import { Card } from '@atum-desk/ui';
import { A } from '@solidjs/router';

/** Welcome page at the root of the staff desk. */
export function HomePage() {
  return (
    <Card.Root class="atum-narrow">
      <Card.Title level={1}>Staff desk</Card.Title>
      <Card.Body>
        <p>
          Accept new tickets, assign them and work them within their service levels. Sign in with your staff
          account.
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
