import { ZCsatAnswerInput, ZCsatSurvey, ZCsatTokenInput } from '../../domain/csat/csat.schema.ts';
import { t } from '../trpc/init.ts';
import { publicProcedure } from '../trpc/procedures.ts';
import { getCsatSurvey, submitCsat } from './csat.service.ts';

// The survey behind the link of the resolved-ticket mail; the portal page /portal/csat/<token> calls
// these. Public: the signed token is the credential, so no sign-in is needed to answer from a phone.

export const csatRouter = t.router({
  get: publicProcedure
    .meta({
      openapi: { method: 'GET', path: '/csat/{token}', tags: ['csat'], summary: 'A satisfaction survey' },
    })
    .input(ZCsatTokenInput)
    .output(ZCsatSurvey)
    .query(({ ctx, input }) => getCsatSurvey(ctx.em, ctx.config, input.token)),

  submit: publicProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/csat/{token}',
        tags: ['csat'],
        summary: 'Rate a resolved ticket (once)',
      },
    })
    .input(ZCsatAnswerInput)
    .output(ZCsatSurvey)
    .mutation(({ ctx, input }) =>
      submitCsat(ctx.em, ctx.config, { ip: ctx.ip, userAgent: ctx.userAgent }, input),
    ),
});
