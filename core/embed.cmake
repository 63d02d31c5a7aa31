# Turns a text file into a C string constant: cmake -DIN=file -DOUT=file.c -P embed.cmake
file(READ ${IN} content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," content "${content}")
file(WRITE ${OUT} "/* generated from pipeline.rng */\n#include <stddef.h>\nconst char cm_pipeline_rng[] = {${content} 0};\nconst size_t cm_pipeline_rng_len = sizeof cm_pipeline_rng - 1;\n")
