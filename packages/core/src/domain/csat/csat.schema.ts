import { z } from 'zod';

// Customer satisfaction (CSAT): the resolved-ticket mail carries a signed link; the portal page
// `/portal/csat/<token>` reads the survey and posts one answer per ticket.

/**
 * The signed token of a survey link. Any string is accepted here: a token that is not ours answers 404
 * (not 400), so a mangled link and a forged one look the same.
 */
export const ZCsatToken = z.string().min(1).max(200);

/** The lowest and highest rating. */
export const CSAT_MIN_RATING = 1;
export const CSAT_MAX_RATING = 5;

export const ZCsatTokenInput = z.object({ token: ZCsatToken });

/** What the survey page shows before asking: which ticket, and whether it was answered already. */
export const ZCsatSurvey = z.object({
  ticketNumber: z.number().int(),
  title: z.string(),
  answered: z.boolean(),
});
export type CsatSurvey = z.infer<typeof ZCsatSurvey>;

export const ZCsatAnswerInput = z.object({
  token: ZCsatToken,
  rating: z
    .number({ error: 'choose a rating from 1 to 5' })
    .int('choose a rating from 1 to 5')
    .min(CSAT_MIN_RATING, 'choose a rating from 1 to 5')
    .max(CSAT_MAX_RATING, 'choose a rating from 1 to 5'),
  comment: z.string().trim().max(2000, 'keep the comment under 2001 characters').nullish(),
});
export type CsatAnswerInput = z.infer<typeof ZCsatAnswerInput>;
