# Turns a binary file into C:
#   const unsigned char NAME[]; const size_t NAME_len;
# usage: cmake -DIN=file -DOUT=file.c -DNAME=ident -P embed_bytes.cmake
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" n)
math(EXPR n "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
file(WRITE ${OUT} "/* generated from ${IN} by cmake/embed_bytes.cmake */\n"
	"#include <stddef.h>\n"
	"extern const unsigned char ${NAME}[];\n"
	"extern const size_t ${NAME}_len;\n"
	"const unsigned char ${NAME}[] = {${hex}};\n"
	"const size_t ${NAME}_len = ${n};\n")
