/* SPDX-License-Identifier: GPL-2.0 */
/*
 * patchstorm tracepoints, under the "patchstorm" system.  Latencies are
 * u64 fields named latency_ns (or ns) so that hist triggers work as is:
 *   echo 'hist:keys=latency_ns.log2' > events/patchstorm/patchstorm_toggle/trigger
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM patchstorm

#if !defined(_PATCHSTORM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PATCHSTORM_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(patchstorm_toggle,
	    TP_PROTO(const char *strategy, const char *target, bool enable,
		     u64 latency_ns, u64 seq, int err),
	    TP_ARGS(strategy, target, enable, latency_ns, seq, err),
	    TP_STRUCT__entry(__string(strategy, strategy)
			     __string(target, target)
			     __field(u8, enable)
			     __field(u64, latency_ns)
			     __field(u64, seq)
			     __field(int, err)),
	    TP_fast_assign(__assign_str(strategy);
			   __assign_str(target);
			   __entry->enable = enable;
			   __entry->latency_ns = latency_ns;
			   __entry->seq = seq;
			   __entry->err = err;),
	    TP_printk("strategy=%s target=%s dir=%s latency_ns=%llu seq=%llu err=%d",
		      __get_str(strategy), __get_str(target),
		      __entry->enable ? "enable" : "disable",
		      __entry->latency_ns, __entry->seq, __entry->err)
);

TRACE_EVENT(patchstorm_visibility,
	    TP_PROTO(int cpu, const char *target, bool enable, u64 latency_ns),
	    TP_ARGS(cpu, target, enable, latency_ns),
	    TP_STRUCT__entry(__field(int, cpu)
			     __string(target, target)
			     __field(u8, enable)
			     __field(u64, latency_ns)),
	    TP_fast_assign(__entry->cpu = cpu;
			   __assign_str(target);
			   __entry->enable = enable;
			   __entry->latency_ns = latency_ns;),
	    TP_printk("cpu=%d target=%s dir=%s latency_ns=%llu", __entry->cpu,
		      __get_str(target), __entry->enable ? "enable" : "disable",
		      __entry->latency_ns)
);

TRACE_EVENT(patchstorm_anomaly,
	    TP_PROTO(const char *kind, int cpu, unsigned long addr, u64 bytes),
	    TP_ARGS(kind, cpu, addr, bytes),
	    TP_STRUCT__entry(__string(kind, kind)
			     __field(int, cpu)
			     __field(unsigned long, addr)
			     __field(u64, bytes)),
	    TP_fast_assign(__assign_str(kind);
			   __entry->cpu = cpu;
			   __entry->addr = addr;
			   __entry->bytes = bytes;),
	    TP_printk("kind=%s cpu=%d addr=%pS bytes=%016llx",
		      __get_str(kind), __entry->cpu, (void *)__entry->addr,
		      __entry->bytes)
);

TRACE_EVENT(patchstorm_stall,
	    TP_PROTO(int cpu, const char *target, u64 ns),
	    TP_ARGS(cpu, target, ns),
	    TP_STRUCT__entry(__field(int, cpu)
			     __string(target, target)
			     __field(u64, ns)),
	    TP_fast_assign(__entry->cpu = cpu;
			   __assign_str(target);
			   __entry->ns = ns;),
	    TP_printk("cpu=%d target=%s ns=%llu", __entry->cpu,
		      __get_str(target), __entry->ns)
);

#endif /* _PATCHSTORM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH latency
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ps_trace
#include <trace/define_trace.h>
