// `mcapi` exits with the one table every mcapi command-line tool shares (`@mcapi/errors`), so
// scripts treat mcapi, mcapi-keytool and mcapi-sandbox alike: 0 ok; 1 warning (`request`/`sign`:
// an HTTP error answer; `doctor`: warnings only); 2 failure; 64 usage; 130 interrupted.
export { exitCodes } from '@mcapi/errors';
