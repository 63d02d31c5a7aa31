/* A shared object without the callmap_plugin symbol. */
int nosymbol_answer(void);
int nosymbol_answer(void) { return 42; }
