// librdkafka, from Debian's librdkafka-dev. rdkafka.h must come before rdkafka_mock.h.
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
// mallopt, to tune glibc for librdkafka's allocation pattern.
#include <malloc.h>

// One message with the record's slot as headers (`generator_id`, `seq`): rd_kafka_producev's
// variadic form is not callable from Swift, this fixed form is. Headers are copied.
static inline rd_kafka_resp_err_t netchaos_produce_with_slot(
    rd_kafka_t *rk, rd_kafka_topic_t *rkt, int32_t partition, int msgflags, void *payload, size_t len,
    const void *key, size_t key_len, void *opaque, const char *generator_id, ssize_t generator_id_len,
    const char *seq, ssize_t seq_len) {
    return rd_kafka_producev(
        rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_MSGFLAGS(msgflags),
        RD_KAFKA_V_VALUE(payload, len), RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_OPAQUE(opaque),
        RD_KAFKA_V_HEADER("generator_id", generator_id, generator_id_len), RD_KAFKA_V_HEADER("seq", seq, seq_len),
        RD_KAFKA_V_END);
}

// The last value of header `name` of a consumed message; 0 when it has one.
static inline int netchaos_message_header(rd_kafka_message_t *message, const char *name, const void **value, size_t *size) {
    rd_kafka_headers_t *headers = NULL;
    if (rd_kafka_message_headers(message, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR || headers == NULL) return -1;
    return rd_kafka_header_get_last(headers, name, value, size) == RD_KAFKA_RESP_ERR_NO_ERROR ? 0 : -1;
}
