import { atumAppConfig } from '@atum-desk/ui/vite-app';

// The budget covers what a first visit loads before signing in: Solid, the router, TanStack Query, the
// typed tRPC client with its WebSocket link, zod (the sign-in form checks with the server's schema) and
// the desk's shell. Every page after sign-in, and uPlot on the dashboard, load on demand.
export default atumAppConfig({ base: '/desk/', devPort: 5174, initialJsBudgetKb: 95 });
