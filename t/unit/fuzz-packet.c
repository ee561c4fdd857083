/*
 * fuzz-packet.c: libFuzzer target for the packet decoder, which reads
 * whatever a scanner or a scanned host chooses to send.  The first byte
 * picks the link-layer type.
 *	make fuzz-packet CC=clang && ./t/unit/fuzz-packet -max_total_time=60
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const int	dlts[] = {
		PKT_DLT_NULL, PKT_DLT_EN10MB, PKT_DLT_RAW, PKT_DLT_LOOP,
		PKT_DLT_LINUX_SLL, PKT_DLT_IPV4, PKT_DLT_IPV6,
		PKT_DLT_LINUX_SLL2
	};
	struct pkt		p;
	char			f[64];

	if (len < 1)
		return 0;
	if (packet_decode_link(&p, dlts[data[0] % 8], data + 1, len - 1) == 0)
		(void)packet_tcpflags_str(p.flags, f, sizeof(f));
	return 0;
}
