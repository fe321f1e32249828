import type { UserInfo } from '@atum-desk/core/domain';
import { useQuery } from '@tanstack/solid-query';
import { createMemo } from 'solid-js';
import { useApi } from '../api/api-context.tsx';
import { organizationNamesQuery, staffQuery } from '../api/queries.ts';

/**
 * Names for the ids the API returns: staff from the staff directory, organizations from the dashboard
 * summary's list of active organizations (agents and managers get names too, not only administrators). Customers are not in either list: the staff API names only staff, so a customer
 * shows as "Requester" on their own ticket and "Customer" elsewhere.
 */
export function usePeople(me: () => UserInfo | undefined) {
  const api = useApi();
  const staff = useQuery(() => staffQuery(api));
  const organizations = useQuery(() => organizationNamesQuery(api));
  const staffById = createMemo(() => new Map((staff.data ?? []).map((member) => [member.id, member])));
  const organizationsById = createMemo(
    () => new Map((organizations.data ?? []).map((organization) => [organization.id, organization])),
  );
  return {
    staff: () => staff.data ?? [],
    organizations: () => organizations.data ?? [],
    /** A person's name: "You" for the signed-in user. */
    personName(id: string | null | undefined, requesterId?: string): string {
      if (!id) return 'System';
      if (id === me()?.id) return 'You';
      const member = staffById().get(id);
      if (member) return member.name;
      // Until the directory is in, a colleague would read as a customer for a moment.
      if (!staff.isSuccess) return '…';
      return id === requesterId ? 'Requester' : 'Customer';
    },
    /** Whether the id is a staff member's (their comments are replies, a customer's are requests). */
    isStaff(id: string): boolean {
      return id === me()?.id || staffById().has(id);
    },
    organizationName(id: string | null | undefined): string {
      if (!id) return '—';
      return organizationsById().get(id)?.name ?? 'Organization';
    },
  };
}
