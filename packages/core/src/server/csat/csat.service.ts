import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CsatAnswerInput, CsatSurvey } from '../../domain/csat/csat.schema.ts';
import { DomainError } from '../../domain/errors.ts';
import { recordAudit } from '../audit/audit.service.ts';
import { SYSTEM_SCOPE } from '../auth/scope.ts';
import type { Config } from '../config.ts';
import { findVisibleTicket } from '../db/scoped.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { installationSecret } from '../settings/installation-secret.ts';
import { Ticket } from '../tickets/ticket.entity.ts';
import { CsatResponse } from './csat-response.entity.ts';
import { verifyCsatToken } from './csat-token.ts';

// The satisfaction survey behind the link of the resolved-ticket mail. The token is the only
// credential: it names one ticket and is signed with the installation secret. Anything we did not sign
// is NOT_FOUND, like a ticket that does not exist; a second answer is CONFLICT.

/** Who answers: nobody signed in, only where the request came from. */
export interface CsatRequester {
  ip: string | null;
  userAgent: string | null;
}

async function ticketOfToken(
  em: EntityManager,
  config: Pick<Config, 'secret'>,
  token: string,
): Promise<Ticket> {
  const ticketId = verifyCsatToken(await installationSecret(em, config), token);
  if (!ticketId) throw new DomainError('NOT_FOUND', 'this survey link is not valid');
  // The system reads the ticket; the token, not a session, is what entitles the caller.
  return findVisibleTicket(em, SYSTEM_SCOPE, ticketId).catch((error: unknown) => {
    if (error instanceof DomainError) throw new DomainError('NOT_FOUND', 'this survey link is not valid');
    throw error;
  });
}

/** The survey of a token: which ticket, and whether it has its answer. */
export async function getCsatSurvey(
  em: EntityManager,
  config: Pick<Config, 'secret'>,
  token: string,
): Promise<CsatSurvey> {
  const ticket = await ticketOfToken(em, config, token);
  const answered = (await em.count(CsatResponse, { ticket: ticket.id })) > 0;
  return { ticketNumber: ticket.number, title: ticket.title, answered };
}

/** Records the one answer of a ticket, with an audit row; a second answer is CONFLICT. */
export async function submitCsat(
  em: EntityManager,
  config: Pick<Config, 'secret'>,
  requester: CsatRequester,
  input: CsatAnswerInput,
): Promise<CsatSurvey> {
  const ticket = await ticketOfToken(em, config, input.token);
  try {
    await em.transactional(async (tx) => {
      const response = tx.create(CsatResponse, {
        organization: tx.getReference(Organization, ticket.organization.id),
        ticket: tx.getReference(Ticket, ticket.id),
        rating: input.rating,
        comment: input.comment ? input.comment : null,
      });
      recordAudit(
        tx,
        { actorId: null, ip: requester.ip, userAgent: requester.userAgent },
        {
          action: 'csat.submitted',
          organizationId: ticket.organization.id,
          entityType: 'ticket',
          entityId: ticket.id,
          newValue: { responseId: response.id, rating: input.rating, commented: !!input.comment },
        },
      );
    });
  } catch (error) {
    // The unique ticket_id is what makes the link single-use, also for two answers at the same instant.
    if (error instanceof UniqueConstraintViolationException) {
      throw new DomainError('CONFLICT', 'this ticket has been rated already');
    }
    throw error;
  }
  return { ticketNumber: ticket.number, title: ticket.title, answered: true };
}
