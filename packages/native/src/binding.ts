import { createRequire } from 'node:module';
import type * as Binding from '../binding.cjs';
import { loadBinding } from './load_binding.js';

export type NativeBinding = typeof Binding;

const require = createRequire(import.meta.url);

/** The compiled addon (generated loader `binding.cjs`). */
export const binding: NativeBinding = loadBinding(() => require('../binding.cjs') as NativeBinding);
