// librdkafka, from Debian's librdkafka-dev. rdkafka.h must come before rdkafka_mock.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
// mallopt, to tune glibc for librdkafka's allocation pattern.
#include <malloc.h>
