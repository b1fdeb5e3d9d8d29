// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of the patch-site decoders (module/arch/ and
 * module/detectors/ops_decode.c) on real encodings, read by the module's "sites" file in
 * guests running Debian's kernels (riscv64 and arm64 built from
 * linux-source-6.12 and, for riscv's 6.16+ regime, linux-source-7.2;
 * x86_64 linux-image-6.12.117+deb12-amd64),
 * plus the legal intermediate states and torn combinations that must be
 * flagged.
 */
#include <stdio.h>
#include <string.h>
#include "tables/decode.h"

static int passed, failed;

static void expect(const char *what, enum ps_site_class got,
		   enum ps_site_class want)
{
	if (got == want) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: got %s, want %s\n", what, ps_class_name(got),
	       ps_class_name(want));
}

#define RV(kind, cur, orig, len, regime, want)				\
	expect(#kind " " #cur, ps_riscv_classify(kind, (const u8 *)cur,	\
		(const u8 *)orig, len, regime), want)
#define A64(kind, cur, orig, len, want)					\
	expect("arm64 " #kind " " #cur, ps_arm64_classify(kind,		\
		(const u8 *)cur, (const u8 *)orig, len), want)
#define X86(kind, cur, orig, len, want)					\
	expect(#kind " " #cur, ps_x86_classify(kind, (const u8 *)cur,	\
		(const u8 *)orig, len), want)

/* riscv64 6.12, read from guests */
static const char rv_nops[] = "\x13\x00\x00\x00\x13\x00\x00\x00";
static const char rv_cnops[] = "\x01\x00\x01\x00\x01\x00\x01\x00";
/* __riscv_sys_getpid with ftrace on: auipc t0,-0x18 pages; jalr t0,0x542(t0) */
static const char rv_call[] = "\x97\x82\xfe\xff\xe7\x82\x22\x54";

/*
 * riscv64 7.2.13 (the 6.16+ regime, RISCV_ISA_C=n), read from guests:
 * victim_leaf off "auipc t0,0x7f0e9; nop", on "auipc t0,0x7f0e9;
 * jalr t0,924(t0)"; __riscv_sys_getpid off and on.
 */
static const char rv72_off[] = "\x97\x92\x0e\x7f\x13\x00\x00\x00";
static const char rv72_on[] = "\x97\x92\x0e\x7f\xe7\x82\xc2\x39";
static const char rv72_getpid_off[] = "\x97\xb2\xfd\xff\x13\x00\x00\x00";
static const char rv72_getpid_on[] = "\x97\xb2\xfd\xff\xe7\x82\xc2\xc9";

static void test_riscv_auipc_fixed(void)
{
	const int F = PS_SITE_FTRACE, K = PS_SITE_KPROBE, J = PS_SITE_JUMP;
	const int A = PS_RISCV_AUIPC_FIXED;

	RV(F, rv72_off, rv72_off, 8, A, PS_CLASS_OFF);
	RV(F, rv72_on, rv72_off, 8, A, PS_CLASS_ON);
	RV(F, rv72_getpid_off, rv72_getpid_off, 8, A, PS_CLASS_OFF);
	RV(F, rv72_getpid_on, rv72_getpid_off, 8, A, PS_CLASS_ON);
	/* another site's auipc is no state of this one */
	RV(F, rv72_getpid_on, rv72_off, 8, A, PS_CLASS_MIXED);
	/* the auipc lost to a nop (6.12's off half): inject=torn-site's first */
	RV(F, "\x13\x00\x00\x00\x13\x00\x00\x00", rv72_off, 8, A, PS_CLASS_MIXED);
	RV(F, "\x13\x00\x00\x00\xe7\x82\xc2\x39", rv72_off, 8, A, PS_CLASS_MIXED);
	/* the jalr half written: inject=torn-site's second; and the other half */
	RV(F, "\x97\x92\x0e\x7f\xe7\x82\x00\x00", rv72_off, 8, A, PS_CLASS_TORN);
	RV(F, "\x97\x92\x0e\x7f\x13\x00\xc2\x39", rv72_off, 8, A, PS_CLASS_TORN);
	/* the compiler's c.nops are gone once ftrace has set the site up */
	RV(F, rv_cnops, rv72_off, 8, A, PS_CLASS_TORN);
	RV(F, "\x00\x00\x00\x00\x13\x00\x00\x00", rv72_off, 8, A, PS_CLASS_TORN);

	/* kprobe at victim_leaf+8 and jump label at victim_key+8 (j +0x14) */
	RV(K, "\x73\x00\x10\x00", "\x93\x17\x15\x00", 4, A, PS_CLASS_ON);
	RV(J, "\x6f\x00\x40\x01", "\x13\x00\x00\x00", 4, A, PS_CLASS_ON);
	RV(J, "\x6f\x00\x00\x00", "\x13\x00\x00\x00", 4, A, PS_CLASS_MIXED);
}

static void test_riscv(void)
{
	const int F = PS_SITE_FTRACE, K = PS_SITE_KPROBE, J = PS_SITE_JUMP;
	const int P = PS_RISCV_PAIR;

	RV(F, rv_nops, rv_nops, 8, P, PS_CLASS_OFF);
	RV(F, rv_cnops, rv_nops, 8, P, PS_CLASS_OFF);
	RV(F, rv_call, rv_nops, 8, P, PS_CLASS_ON);
	/* 6.12 writes both words under stop_machine: halves must not mix */
	RV(F, "\x97\x82\xfe\xff\x13\x00\x00\x00", rv_nops, 8, P, PS_CLASS_MIXED);
	RV(F, "\x13\x00\x00\x00\xe7\x82\x22\x54", rv_nops, 8, P, PS_CLASS_MIXED);
	RV(F, "\x01\x00\x01\x00\xe7\x82\x22\x54", rv_nops, 8, P, PS_CLASS_MIXED);
	/* one 16-bit parcel of auipc over a nop: no instruction at all */
	RV(F, "\x13\x00\x00\x00\xe7\x82\x00\x00", rv_nops, 8, P, PS_CLASS_TORN);
	RV(F, "\x13\x00\xfe\xff\x13\x00\x00\x00", rv_nops, 8, P, PS_CLASS_TORN);
	RV(F, "\x97\x82\xfe\xff\xe7\x82\x00\x00", rv_nops, 8, P, PS_CLASS_TORN);
	RV(F, "\x00\x00\x00\x00\x00\x00\x00\x00", rv_nops, 8, P, PS_CLASS_TORN);
	/* a 6.16+ site (the auipc stays) read as 6.12's: auipc + nop is mixed */
	RV(F, rv72_off, rv_nops, 8, P, PS_CLASS_MIXED);

	/* kprobes: victim_leaf+8 "slli a5,a0,1; add a0,a0,a5" (4 bytes read) */
	RV(K, "\x93\x17\x15\x00", "\x93\x17\x15\x00", 4, P, PS_CLASS_OFF);
	RV(K, "\x73\x00\x10\x00", "\x93\x17\x15\x00", 4, P, PS_CLASS_ON);
	RV(K, "\x73\x00\x15\x00", "\x93\x17\x15\x00", 4, P, PS_CLASS_MIXED);
	RV(K, "\x93\x17\x10\x00", "\x93\x17\x15\x00", 4, P, PS_CLASS_MIXED);
	RV(K, "\x00\x00\x00\x00", "\x93\x17\x15\x00", 4, P, PS_CLASS_TORN);
	/* 2-byte instruction (c.addi16sp): c.ebreak */
	RV(K, "\x41\x11", "\x41\x11", 2, P, PS_CLASS_OFF);
	RV(K, "\x02\x90", "\x41\x11", 2, P, PS_CLASS_ON);
	RV(K, "\x73\x00", "\x41\x11", 2, P, PS_CLASS_TORN);

	/* jump labels: nop / j +0xe (victim_key), j +0x1a (victim_key_nonleaf) */
	RV(J, "\x13\x00\x00\x00", "\x13\x00\x00\x00", 4, P, PS_CLASS_OFF);
	RV(J, "\x6f\x00\xe0\x00", "\x13\x00\x00\x00", 4, P, PS_CLASS_ON);
	RV(J, "\x6f\x00\xa0\x01", "\x13\x00\x00\x00", 4, P, PS_CLASS_ON);
	RV(J, "\x6f\x00\x00\x00", "\x13\x00\x00\x00", 4, P, PS_CLASS_MIXED);
	RV(J, "\x13\x00\xe0\x00", "\x13\x00\x00\x00", 4, P, PS_CLASS_MIXED);
	RV(J, "\xff\xff\xff\xff", "\x13\x00\x00\x00", 4, P, PS_CLASS_TORN);
}

static const char x86_nop5[] = "\x0f\x1f\x44\x00\x00";

static void test_x86(void)
{
	const int F = PS_SITE_FTRACE, K = PS_SITE_KPROBE, J = PS_SITE_JUMP;

	/* victim_leaf+4 (after endbr64): nop5 / call ftrace trampoline */
	X86(F, x86_nop5, x86_nop5, 5, PS_CLASS_OFF);
	X86(F, "\xe8\xb7\xec\x02\x00", x86_nop5, 5, PS_CLASS_ON);
	/* text_poke_bp intermediates: int3 over either tail, or over a partial one */
	X86(F, "\xcc\x1f\x44\x00\x00", x86_nop5, 5, PS_CLASS_TRANSIENT);
	X86(F, "\xcc\xb7\xec\x02\x00", x86_nop5, 5, PS_CLASS_TRANSIENT);
	X86(F, "\xcc\xb7\x44\x00\x00", x86_nop5, 5, PS_CLASS_TRANSIENT);
	/* the halves of nop5 and call met without the int3 guard */
	X86(F, "\xe8\x1f\x44\x00\x00", x86_nop5, 5, PS_CLASS_MIXED);
	X86(F, "\x0f\xb7\xec\x02\x00", x86_nop5, 5, PS_CLASS_MIXED);
	X86(F, "\x00\x00\x00\x00\x00", x86_nop5, 5, PS_CLASS_TORN);

	/* kprobe at victim_leaf+9 (mov): int3, or jmp when optimized */
	X86(K, "\x48", "\x48", 1, PS_CLASS_OFF);
	X86(K, "\xcc", "\x48", 1, PS_CLASS_ON);
	X86(K, "\xe9", "\x48", 1, PS_CLASS_ON);
	X86(K, "\xe8", "\x48", 1, PS_CLASS_TORN);

	/* jump labels: nop2 / jmp8 (victim_key+0xc: eb 0b) */
	X86(J, "\x66\x90", "\x66\x90", 2, PS_CLASS_OFF);
	X86(J, "\xeb\x0b", "\x66\x90", 2, PS_CLASS_ON);
	X86(J, "\xcc\x90", "\x66\x90", 2, PS_CLASS_TRANSIENT);
	X86(J, "\x90\x90", "\x66\x90", 2, PS_CLASS_TORN);
	X86(J, x86_nop5, x86_nop5, 5, PS_CLASS_OFF);
	X86(J, "\xe9\x10\x00\x00\x00", x86_nop5, 5, PS_CLASS_ON);
	X86(J, "\xe9\x1f\x44\x00\x00", x86_nop5, 5, PS_CLASS_MIXED);
}

/*
 * arm64 6.12 (CALL_OPS), read from guests: "mov x9, x30; nop" off;
 * victim_leaf on "mov x9, x30; bl <module ftrace PLT>", __arm64_sys_getpid
 * on "mov x9, x30; bl ftrace_caller".
 */
static const char a64_off[] = "\xe9\x03\x1e\xaa\x1f\x20\x03\xd5";
static const char a64_leaf_on[] = "\xe9\x03\x1e\xaa\x83\xf0\xe2\x95";
static const char a64_getpid_on[] = "\xe9\x03\x1e\xaa\xc1\x7d\xff\x97";
static const char a64_nop[] = "\x1f\x20\x03\xd5";
static const char a64_brk[] = "\x80\x00\x20\xd4";

static void test_arm64(void)
{
	const int F = PS_SITE_FTRACE, K = PS_SITE_KPROBE, J = PS_SITE_JUMP;

	A64(F, a64_off, a64_off, 8, PS_CLASS_OFF);
	A64(F, a64_leaf_on, a64_off, 8, PS_CLASS_ON);
	A64(F, a64_getpid_on, a64_off, 8, PS_CLASS_ON);
	/* a kprobe on the mov (+0 is not the ftrace location) */
	A64(F, "\x80\x00\x20\xd4\x1f\x20\x03\xd5", a64_off, 8, PS_CLASS_OFF);
	A64(F, "\x80\x00\x20\xd4\xc1\x7d\xff\x97", a64_off, 8, PS_CLASS_ON);
	/* the compiled nop beside a bl: inject=torn-site's first */
	A64(F, "\x1f\x20\x03\xd5\x83\xf0\xe2\x95", a64_off, 8, PS_CLASS_MIXED);
	/* the compiled nop pair: the mov lost; udf #0 for the nop: its second */
	A64(F, "\x1f\x20\x03\xd5\x1f\x20\x03\xd5", a64_off, 8, PS_CLASS_TORN);
	A64(F, "\xe9\x03\x1e\xaa\x00\x00\x00\x00", a64_off, 8, PS_CLASS_TORN);
	/*
	 * b (not bl) in the call's place; a bl's low half under the nop's
	 * high half.  (The other way round is a bl to elsewhere: every
	 * imm26 is a target, so only the opcode byte can tell.)
	 */
	A64(F, "\xe9\x03\x1e\xaa\xc1\x7d\xff\x17", a64_off, 8, PS_CLASS_TORN);
	A64(F, "\xe9\x03\x1e\xaa\x83\xf0\x03\xd5", a64_off, 8, PS_CLASS_TORN);
	A64(F, a64_off, a64_off, 4, PS_CLASS_TORN);

	/* kprobes at victim_leaf+8 (add x0, x0, x0, lsl #1), getpid+8 (stp) */
	A64(K, "\x00\x04\x00\x8b", "\x00\x04\x00\x8b", 4, PS_CLASS_OFF);
	A64(K, a64_brk, "\x00\x04\x00\x8b", 4, PS_CLASS_ON);
	A64(K, "\xfd\x7b\xbf\xa9", "\xfd\x7b\xbf\xa9", 4, PS_CLASS_OFF);
	A64(K, a64_brk, "\xfd\x7b\xbf\xa9", 4, PS_CLASS_ON);
	/* the single-step BRK, or halves of BRK and stp */
	A64(K, "\xc0\x00\x20\xd4", "\xfd\x7b\xbf\xa9", 4, PS_CLASS_TORN);
	A64(K, "\x80\x00\xbf\xa9", "\xfd\x7b\xbf\xa9", 4, PS_CLASS_TORN);

	/* jump labels: nop / b +0x10 (victim_key), b +0x18 (victim_key_nonleaf) */
	A64(J, a64_nop, a64_nop, 4, PS_CLASS_OFF);
	A64(J, "\x04\x00\x00\x14", a64_nop, 4, PS_CLASS_ON);
	A64(J, "\x06\x00\x00\x14", a64_nop, 4, PS_CLASS_ON);
	A64(J, "\x04\x00\x03\xd5", a64_nop, 4, PS_CLASS_TORN);
	A64(J, "\x04\x00\x00\x94", a64_nop, 4, PS_CLASS_TORN);
}

#define OPS(cur, want)							\
	expect("ops " #cur, ps_ops_classify(cur, ops_nop, ops_on,	\
		sizeof(ops_on) / sizeof(ops_on[0])), want)

/*
 * ftrace_ops literals read from the riscv64 7.2.13 guest ("sites"):
 * ftrace_nop_ops and ftrace_list_ops (kernel data), and the module's two
 * ops (kmalloc'ed: another high word).
 */
static const u64 ops_nop = 0xffffffff80a11c90ULL;
static const u64 ops_on[] = {
	0xffffffff80a11d58ULL, 0xffffaf8001719800ULL, 0xffffaf8001719a00ULL,
};

/*
 * arm64 6.12: ftrace_nop_ops (kernel data) and one of the module's ops
 * (kmalloc'ed), read from the guest.
 */
static const u64 a64_ops_nop = 0xffff80008036cd20ULL;
static const u64 a64_ops_on[] = { 0xffff000000dede00ULL };

#define A64_OPS(cur, want)						\
	expect("arm64 ops " #cur, ps_ops_classify(cur, a64_ops_nop,	\
		a64_ops_on, 1), want)

static void test_ops(void)
{
	A64_OPS(a64_ops_nop, PS_CLASS_OFF);
	A64_OPS(0xffff000000dede00ULL, PS_CLASS_ON);
	A64_OPS(0xffff800000dede00ULL, PS_CLASS_MIXED);
	A64_OPS(0xffff00008036cd20ULL, PS_CLASS_MIXED);
	A64_OPS(0xffff80008036de00ULL, PS_CLASS_TORN);

	OPS(ops_nop, PS_CLASS_OFF);
	OPS(0xffffffff80a11d58ULL, PS_CLASS_ON);
	OPS(0xffffaf8001719a00ULL, PS_CLASS_ON);
	/* a 32-bit half written alone: kernel data's high word, an ops' low */
	OPS(0xffffffff01719800ULL, PS_CLASS_MIXED);
	OPS(0xffffaf8080a11c90ULL, PS_CLASS_MIXED);
	/* a 16-bit or byte tear, and nothing at all */
	OPS(0xffffffff80a19800ULL, PS_CLASS_TORN);
	OPS(0xffffaf8001711c90ULL, PS_CLASS_TORN);
	OPS(0xffffffffaf800180ULL, PS_CLASS_TORN);
	OPS(0ULL, PS_CLASS_TORN);
}

static void expect_dest(const char *what, int got, unsigned long long dest,
			int want, unsigned long long want_dest)
{
	if (got == want && (!want || dest == want_dest)) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL %s: got %d %#llx, want %d %#llx\n", what, got, dest, want,
	       want_dest);
}

#define DEST(fn, what, want, want_dest, ...)				\
	do {								\
		u64 d_ = 0;						\
		int r_ = fn(__VA_ARGS__, &d_);				\
		expect_dest(what, r_, d_, want, want_dest);		\
	} while (0)

/* Where calls and jumps read at sites go (ps_*_dest). */
static void test_dest(void)
{
	const int F = PS_SITE_FTRACE, K = PS_SITE_KPROBE, J = PS_SITE_JUMP;
	const u64 a = 0xffffffff80100000ULL;

	/* riscv: auipc t0,-0x18 pages; jalr t0,0x542(t0), read in a guest */
	DEST(ps_riscv_dest, "rv call", 1, a - 0x18000 + 0x542, F,
	     (const u8 *)rv_call, a);
	DEST(ps_riscv_dest, "rv 7.2 call", 1, a + 0x7f0e9000ULL + 924, F,
	     (const u8 *)rv72_on, a);
	/* a negative jalr offset: jalr t0,-8(t0) */
	DEST(ps_riscv_dest, "rv call -8", 1, a - 8, F,
	     (const u8 *)"\x97\x02\x00\x00\xe7\x82\x82\xff", a);
	DEST(ps_riscv_dest, "rv off", 0, 0, F, (const u8 *)rv_nops, a);
	DEST(ps_riscv_dest, "rv 7.2 off", 0, 0, F, (const u8 *)rv72_off, a);
	/* j +0x14, read in a guest; j -4 */
	DEST(ps_riscv_dest, "rv j +0x14", 1, a + 0x14, J,
	     (const u8 *)"\x6f\x00\x40\x01", a);
	DEST(ps_riscv_dest, "rv j -4", 1, a - 4, J,
	     (const u8 *)"\x6f\xf0\xdf\xff", a);
	DEST(ps_riscv_dest, "rv jump off", 0, 0, J,
	     (const u8 *)"\x13\x00\x00\x00", a);
	DEST(ps_riscv_dest, "rv kprobe", 0, 0, K,
	     (const u8 *)"\x73\x00\x10\x00", a);

	/* x86: call rel32, jmp8, jmp32 */
	DEST(ps_x86_dest, "x86 call self", 1, a, F,
	     (const u8 *)"\xe8\xfb\xff\xff\xff", 5, a);
	DEST(ps_x86_dest, "x86 call +0x100", 1, a + 5 + 0x100, F,
	     (const u8 *)"\xe8\x00\x01\x00\x00", 5, a);
	DEST(ps_x86_dest, "x86 nop5", 0, 0, F,
	     (const u8 *)"\x0f\x1f\x44\x00\x00", 5, a);
	DEST(ps_x86_dest, "x86 jmp8 self", 1, a, J, (const u8 *)"\xeb\xfe", 2,
	     a);
	DEST(ps_x86_dest, "x86 jmp32", 1, a + 5 + 0x20, J,
	     (const u8 *)"\xe9\x20\x00\x00\x00", 5, a);
	DEST(ps_x86_dest, "x86 int3", 0, 0, F,
	     (const u8 *)"\xcc\x00\x01\x00\x00", 5, a);

	/* arm64: mov x9, x30; bl (the site's second word); b */
	DEST(ps_arm64_dest, "a64 bl +0", 1, a + 4, F,
	     (const u8 *)"\xe9\x03\x1e\xaa\x00\x00\x00\x94", a);
	DEST(ps_arm64_dest, "a64 bl -4", 1, a, F,
	     (const u8 *)"\xe9\x03\x1e\xaa\xff\xff\xff\x97", a);
	DEST(ps_arm64_dest, "a64 nop", 0, 0, F,
	     (const u8 *)"\xe9\x03\x1e\xaa\x1f\x20\x03\xd5", a);
	DEST(ps_arm64_dest, "a64 b +4", 1, a + 4, J,
	     (const u8 *)"\x01\x00\x00\x14", a);
	DEST(ps_arm64_dest, "a64 b -8", 1, a - 8, J,
	     (const u8 *)"\xfe\xff\xff\x17", a);
}

/* Calls made by ps_*_call decode back to where they were aimed. */
static void test_call_roundtrip(void)
{
	const int F = PS_SITE_FTRACE;
	const u64 a = 0xffffffff80100000ULL;
	const u64 dests[] = { a + 0x1234, a - 0x7ff000, a + 4, a - 0x10 };
	u8 out[8];
	unsigned int i;

	for (i = 0; i < sizeof(dests) / sizeof(dests[0]); i++) {
		DEST(ps_riscv_dest, "rv call roundtrip", 1, dests[i], F,
		     (ps_riscv_call(a, dests[i], (const u8 *)rv_nops,
				    PS_RISCV_PAIR, out), out), a);
		RV(F, out, rv_nops, 8, PS_RISCV_PAIR, PS_CLASS_ON);
		DEST(ps_x86_dest, "x86 call roundtrip", 1, dests[i], F,
		     (ps_x86_call(a, dests[i], out), out), 5, a);
		DEST(ps_arm64_dest, "a64 call roundtrip", 1, dests[i], F,
		     (ps_arm64_call(a, dests[i],
				    (const u8 *)"\xe9\x03\x1e\xaa\x1f\x20\x03\xd5",
				    out), out), a);
	}
	/* 7.2: the auipc stays, the jalr aims within 2 KB of where it points */
	DEST(ps_riscv_dest, "rv 7.2 call +4", 1, a + 0x7f0e9000ULL + 928, F,
	     (ps_riscv_call(a, a + 0x7f0e9000ULL + 928, (const u8 *)rv72_off,
			    PS_RISCV_AUIPC_FIXED, out), out), a);
	RV(F, out, rv72_off, 8, PS_RISCV_AUIPC_FIXED, PS_CLASS_ON);
	expect_dest("rv 7.2 out of reach", ps_riscv_call(a, a + 0x10000000ULL,
		    (const u8 *)rv72_off, PS_RISCV_AUIPC_FIXED, out), 0, 0, 0);
	expect_dest("a64 out of reach", ps_arm64_call(a, a + (1ULL << 30),
		    (const u8 *)"\xe9\x03\x1e\xaa\x1f\x20\x03\xd5", out), 0,
		    0, 0);
}

int main(void)
{
	test_riscv();
	test_riscv_auipc_fixed();
	test_x86();
	test_arm64();
	test_ops();
	test_dest();
	test_call_roundtrip();
	printf("decode: %d passed, %d failed\n", passed, failed);
	return failed != 0;
}
