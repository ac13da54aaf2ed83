export { problemResponse, errorResponse } from './problem.js';
export type { ProblemDetails } from './problem.js';
export { readJsonBody, HttpInputError } from './json-body.js';
export type { JsonBodyOptions } from './json-body.js';
