import { atumAppConfig } from '@atum-desk/ui/vite-app';

export default atumAppConfig({ base: '/desk/', devPort: 5174 });
