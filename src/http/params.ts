/** zod forms of the identifiers every door receives in paths and queries (rules in shared/identifiers.ts). */
import { z } from 'zod';
import { isTenantId, isUserName } from '../shared/identifiers.js';

// Same rule as KooGallery's tenantId in the sync interfaces (it is part of Redis hash tags).
export const tenantIdParam = z.string().refine(isTenantId, 'is not a valid tenant id');
export const userNameParam = z.string().refine(isUserName, 'is not a valid user name');
