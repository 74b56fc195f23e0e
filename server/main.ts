// `npm start`: the server on the platform (see serve.ts).
import { serve } from './index.js';

await serve();
