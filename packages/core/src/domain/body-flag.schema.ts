import { z } from 'zod';

/**
 * A true/false field of a JSON body. Not a bare `z.boolean()`: the REST adapter (trpc-to-openapi)
 * switches every boolean of an input schema to coercion, in place, for tRPC calls too, which would read
 * `"false"` as true and `null` as false. A union of the two literals is left alone and stays strict.
 */
export const ZBodyFlag = z.union([z.literal(true), z.literal(false)]);
