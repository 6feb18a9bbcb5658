// Debian builds libxml2 with ICU support, and its encoding.h then includes the system ICU headers,
// which clash with the ICU copy inside swift-corelibs-foundation. DrugCheck never uses libxml2's
// ICU converters, so the flag is cleared before the other headers see it.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlIO.h>
