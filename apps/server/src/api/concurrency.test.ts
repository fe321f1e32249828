import { useTestDatabase } from '@atum-desk/test-helpers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DemoServer, startDemoServer } from './test-server.ts';

// Races the workflow must win cleanly: conditional updates, not read-then-write.

const db = useTestDatabase();
let demo: DemoServer;

beforeAll(async () => {
  demo = await startDemoServer(db, { RATE_LIMIT_TICKETS_PER_HOUR: '0', RATE_LIMIT_API_PER_MINUTE: '0' });
});
afterAll(async () => {
  await demo?.close();
});

async function newTicket(token: string): Promise<string> {
  const created = await demo.rest('POST', '/tickets', token, {
    title: 'Race',
    description: 'x',
    priority: 'HIGH',
  });
  return created.body.id;
}

describe('concurrent changes', () => {
  it('let exactly one of ten parallel accepts win; the others get 409', async () => {
    const customer = (await demo.login('bob@acme.demo')).token;
    const managers = await Promise.all([demo.login('manager@atum.demo'), demo.login('admin@atum.demo')]);
    for (let round = 0; round < 3; round++) {
      const id = await newTicket(customer);
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          demo.rest('POST', `/internal/tickets/${id}/accept`, managers[i % 2]?.token),
        ),
      );
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([200, ...Array(9).fill(409)]);
      const audit = await demo.rest(
        'GET',
        `/audit?entityId=${id}&action=ticket.accepted`,
        managers[0]?.token,
      );
      expect((audit.body.items as unknown[]).length).toBe(1);
    }
  });

  it('keep every one of twenty parallel comments', async () => {
    const customer = (await demo.login('alice@acme.demo')).token;
    const manager = (await demo.login('manager@atum.demo')).token;
    const id = await newTicket(customer);
    await demo.rest('POST', `/internal/tickets/${id}/accept`, manager);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? demo.rest('POST', `/tickets/${id}/comments`, customer, { body: `customer ${i}` })
          : demo.rest('POST', `/internal/tickets/${id}/comments`, manager, {
              body: `staff ${i}`,
              internal: i % 4 === 1,
            }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const detail = await demo.rest('GET', `/internal/tickets/${id}`, manager);
    expect((detail.body.comments as unknown[]).length).toBe(20);
    // The first public staff reply met first response exactly once.
    expect((detail.body.sla as { firstRespondedAt: string | null }).firstRespondedAt).not.toBeNull();
  });
});
