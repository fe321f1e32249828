import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { isStaffRole, type UserRole } from '../../domain/auth/roles.ts';
import { hashPassword } from '../auth/password.ts';
import { createSession } from '../auth/session.service.ts';
import { type Config, loadConfig } from '../config.ts';
import { createLogger } from '../logging/logger.ts';
import { Organization } from '../organizations/organization.entity.ts';
import { type Context, createContextFactory } from '../trpc/context.ts';
import { appRouter } from '../trpc/router.ts';
import { User } from '../users/user.entity.ts';

// Signed-in callers for `*.db.test.ts` files: real users, real sessions, the real router. Each call
// builds its context afresh, as each HTTP request to the API does (a new entity manager; the session
// validated again, or confirmed by the call's own statements: auth/session-gate.ts), so a session ended
// by one call is gone for the next.

/** The password of every user createTestUser makes unless told otherwise. */
export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * The configuration of test callers. The per-user API limit is off: one test file makes far more than
 * 100 calls a minute as one user. A test of that limit passes its own config.
 */
export const TEST_CONFIG: Config = loadConfig({ RATE_LIMIT_API_PER_MINUTE: '0' });

const logger = createLogger({ name: 'test', level: 'silent' });

// argon2 is slow on purpose; one hash of the shared password serves every test user.
let testPasswordHash: Promise<string> | undefined;

function sharedPasswordHash(): Promise<string> {
  testPasswordHash ??= hashPassword(TEST_PASSWORD);
  return testPasswordHash;
}

export interface TestUserOptions {
  role: UserRole;
  /** The customer's organization; a customer without one gets a new organization of its own. */
  organizationId?: string | null;
  email?: string;
  name?: string;
  password?: string;
  isActive?: boolean;
}

/** Creates an organization with a unique slug. */
export async function createTestOrganization(
  em: EntityManager,
  name = 'Test organization',
): Promise<Organization> {
  const organization = em.create(Organization, { name, slug: `test-${uuidv7()}` });
  await em.flush();
  return organization;
}

/** Creates and stores a user (customers in an organization, staff in none) with a unique e-mail. */
export async function createTestUser(em: EntityManager, options: TestUserOptions): Promise<User> {
  let organizationId = options.organizationId ?? null;
  if (!organizationId && !isStaffRole(options.role)) organizationId = (await createTestOrganization(em)).id;
  const passwordHash =
    options.password === undefined ? await sharedPasswordHash() : await hashPassword(options.password);
  const unique = uuidv7();
  const user = em.create(User, {
    email: options.email ?? `${options.role.toLowerCase()}-${unique}@example.test`,
    name: options.name ?? `${options.role} ${unique.slice(-6)}`,
    role: options.role,
    organization: organizationId ? em.getReference(Organization, organizationId) : null,
    passwordHash,
    isActive: options.isActive ?? true,
  });
  await em.flush();
  return user;
}

export interface TestSession {
  /** The bearer token of the session. */
  token: string;
  /** Builds the context of one request made with this token (signed out once the session ended). */
  context: () => Promise<Context>;
}

/** Opens a session for `user` and returns its token and a per-request context builder. */
export async function signIn(orm: MikroORM, user: User, config: Config = TEST_CONFIG): Promise<TestSession> {
  const { token } = await createSession(orm.em.fork(), user, { ip: '127.0.0.1', userAgent: 'test' });
  return { token, context: () => contextWithToken(orm, token, config) };
}

/** Context factories by database and configuration, with their per-process session memory. */
const factories = new WeakMap<MikroORM, Map<Config, ReturnType<typeof createContextFactory>>>();

function contextFactory(orm: MikroORM, config: Config) {
  let byConfig = factories.get(orm);
  if (!byConfig) {
    byConfig = new Map();
    factories.set(orm, byConfig);
  }
  let factory = byConfig.get(config);
  if (!factory) {
    factory = createContextFactory({ orm, config, logger }, { sessionHints: true });
    byConfig.set(config, factory);
  }
  return factory;
}

/**
 * The context of one request carrying `token` (or none), built as the API's routes build it: a session
 * this process validated within the last minute is left for the signed-in bases to confirm.
 */
export async function contextWithToken(
  orm: MikroORM,
  token: string | null,
  config: Config = TEST_CONFIG,
): Promise<Context> {
  const req = new Request('http://atum.test/', {
    headers: { 'user-agent': 'test', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return contextFactory(orm, config)({ req, resHeaders: new Headers(), ip: '127.0.0.1' });
}

/** A tRPC caller signed in as `user` (or signed out, for null), through a new session. */
export async function callerFor(orm: MikroORM, user: User | null, config: Config = TEST_CONFIG) {
  if (!user) return appRouter.createCaller(() => contextWithToken(orm, null, config));
  const session = await signIn(orm, user, config);
  return appRouter.createCaller(session.context);
}
