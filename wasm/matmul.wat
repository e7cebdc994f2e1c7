;; Matrix product C = A·B for row-major float64 matrices, with 128-bit SIMD
;; and fused multiply-add (f64x2.relaxed_madd, which fuses on x86-64 CPUs
;; with FMA3 and on arm64). `deno task build:wasm` assembles this file with
;; the pinned npm wabt into lib/_wasm_matmul_bytes.ts; tests/kernels_test.ts
;; checks that the committed bytes are what this source builds.
;;
;; The caller (lib/_kernels_wasm.ts) copies A (m x k) and B (k x n), or their
;; transposes, into this module's memory and calls `matmul` with the byte
;; offsets of six regions:
;;   a, b      the inputs, row-major or transposed (see the strides below);
;;   c         the output, m x n row-major (every entry is written);
;;   ap        room for A packed in 3-row panels: 2·ceil(m/3)·3·k doubles;
;;   bp        room for B packed in 6-column panels: ceil(n/6)·6·k doubles;
;;   scratch   room for one 3x6 tile (18 doubles), for the ragged edges;
;; and the strides, in doubles, of each input: entry (i, p) of A is at
;; a + 8·(i·rsA + p·csA) and entry (p, j) of B at b + 8·(p·rsB + j·csB). So a
;; row-major A has (rsA, csA) = (k, 1), and a transposed one, stored k x m,
;; has (1, m); B likewise with (n, 1) or, stored n x k, (1, k).
;; Offsets are multiples of 16; m, k, n ≥ 1.
;;
;; Packing. An A panel holds, for each p < k, the 3 entries A[i0..i0+2][p],
;; each already doubled into both lanes ([a, a]), so the inner loop needs
;; plain 16-byte loads, not splats (measured: about 20% faster). A B panel
;; holds, for each p, the 6 entries B[p][j0..j0+5]. Rows or columns past the
;; edge are zeros. Each step of the 3x6 micro-tile then reads 48 contiguous
;; bytes of each panel.
;;
;; Registers. V8 gives WebAssembly 15 of the 16 xmm registers; the tile keeps
;; 9 accumulators (3 rows x 3 pairs of columns), 3 B pairs and 1 A pair, 13
;; in all. Tiles needing 16 or more (4x6: 12 accumulators, 3 B pairs and 1
;; A) spilled and ran at half the speed.
;;
;; Order. For each A panel (48·k bytes, kept in L1), the B panels stream past
;; from L2 (all of packed B is 8·k·n bytes: 0.5 MB at n = 256; streaming the
;; pre-splatted A instead, twice that size, measured a little slower). Each
;; entry of C is one chain of fused multiply-adds with no blocking over k, in
;; the order of lib/_fma.ts `dotFma` (OpenBLAS's order
;; for short vectors): the product for p = 1 first, then p = 0, then p = 2,
;; 3, ... k-1. Packing puts the steps in that order (after packing, the first
;; two steps of every panel are swapped), so this kernel rounds like the exact
;; TypeScript path, entry for entry. The accumulators start at +0, as
;; OpenBLAS's do: a sum of zeros is +0 even when every product is -0, as in
;; numpy.
(module
  (memory (export "memory") 1)

  ;; The 3x6 tile C = Ap·Bp over k steps, stored at $c with a row stride of
  ;; $ldc bytes.
  (func $tile (param $ap i32) (param $bp i32) (param $k i32) (param $c i32) (param $ldc i32)
    (local $end i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $b2 v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128)
    (local $c20 v128) (local $c21 v128) (local $c22 v128)
    (local.set $end (i32.add (local.get $ap) (i32.mul (local.get $k) (i32.const 48))))
    (loop $steps
      (local.set $b0 (v128.load offset=0 (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $b2 (v128.load offset=32 (local.get $bp)))
      (local.set $a (v128.load offset=0 (local.get $ap)))
      (local.set $c00 (f64x2.relaxed_madd (local.get $a) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f64x2.relaxed_madd (local.get $a) (local.get $b1) (local.get $c01)))
      (local.set $c02 (f64x2.relaxed_madd (local.get $a) (local.get $b2) (local.get $c02)))
      (local.set $a (v128.load offset=16 (local.get $ap)))
      (local.set $c10 (f64x2.relaxed_madd (local.get $a) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f64x2.relaxed_madd (local.get $a) (local.get $b1) (local.get $c11)))
      (local.set $c12 (f64x2.relaxed_madd (local.get $a) (local.get $b2) (local.get $c12)))
      (local.set $a (v128.load offset=32 (local.get $ap)))
      (local.set $c20 (f64x2.relaxed_madd (local.get $a) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f64x2.relaxed_madd (local.get $a) (local.get $b1) (local.get $c21)))
      (local.set $c22 (f64x2.relaxed_madd (local.get $a) (local.get $b2) (local.get $c22)))
      (local.set $ap (i32.add (local.get $ap) (i32.const 48)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 48)))
      (br_if $steps (i32.lt_u (local.get $ap) (local.get $end))))
    (v128.store offset=0 (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (v128.store offset=32 (local.get $c) (local.get $c02))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (v128.store offset=32 (local.get $c) (local.get $c12))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store offset=0 (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (v128.store offset=32 (local.get $c) (local.get $c22)))

  ;; Packs A (m x k, entry (i, p) at $a + 8·(i·$rs + p·$cs)) into 3-row
  ;; panels at $ap, each entry doubled into both lanes, zero-padding the last
  ;; panel.
  (func $packA (param $a i32) (param $ap i32) (param $m i32) (param $k i32)
    (param $rs i32) (param $cs i32)
    (local $i i32) (local $p i32) (local $rows i32) (local $dst i32)
    (local $src i32) (local $stride i32)
    (local.set $stride (i32.shl (local.get $cs) (i32.const 3)))
    (local.set $rows (i32.mul (i32.div_u (i32.add (local.get $m) (i32.const 2)) (i32.const 3)) (i32.const 3)))
    (loop $row
      (local.set $dst
        (i32.add (local.get $ap)
          (i32.add
            (i32.mul (i32.div_u (local.get $i) (i32.const 3)) (i32.mul (local.get $k) (i32.const 48)))
            (i32.shl (i32.rem_u (local.get $i) (i32.const 3)) (i32.const 4)))))
      (local.set $p (i32.const 0))
      (local.set $src (i32.add (local.get $a)
        (i32.shl (i32.mul (local.get $i) (local.get $rs)) (i32.const 3))))
      (if (i32.lt_u (local.get $i) (local.get $m))
        (then
          (loop $col
            (v128.store (local.get $dst) (v128.load64_splat (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $stride)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 48)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $col (i32.lt_u (local.get $p) (local.get $k)))))
        (else
          (loop $zero
            (v128.store (local.get $dst) (v128.const i64x2 0 0))
            (local.set $dst (i32.add (local.get $dst) (i32.const 48)))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br_if $zero (i32.lt_u (local.get $p) (local.get $k))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $rows)))))

  ;; Packs B (k x n, entry (p, j) at $b + 8·(p·$rs + j·$cs)) into 6-column
  ;; panels at $bp, zero-padding the last.
  (func $packB (param $b i32) (param $bp i32) (param $k i32) (param $n i32)
    (param $rs i32) (param $cs i32)
    (local $p i32) (local $j i32) (local $src i32) (local $dst i32) (local $panel i32)
    (local $stride i32) (local $cols i32)
    (local.set $panel (i32.mul (local.get $k) (i32.const 48)))
    (local.set $stride (i32.shl (local.get $cs) (i32.const 3)))
    (local.set $cols (i32.mul (i32.div_u (i32.add (local.get $n) (i32.const 5)) (i32.const 6)) (i32.const 6)))
    (loop $step
      (local.set $src (i32.add (local.get $b) (i32.shl (i32.mul (local.get $p) (local.get $rs)) (i32.const 3))))
      (local.set $dst (i32.add (local.get $bp) (i32.mul (local.get $p) (i32.const 48))))
      (local.set $j (i32.const 0))
      (if (i32.eq (local.get $cs) (i32.const 1))
        (then
          ;; rows of B are contiguous: whole panels are three 16-byte copies
          (block $whole_done
            (loop $whole
              (br_if $whole_done (i32.gt_u (i32.add (local.get $j) (i32.const 6)) (local.get $n)))
              (v128.store offset=0 (local.get $dst) (v128.load offset=0 (local.get $src)))
              (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))
              (v128.store offset=32 (local.get $dst) (v128.load offset=32 (local.get $src)))
              (local.set $src (i32.add (local.get $src) (i32.const 48)))
              (local.set $dst (i32.add (local.get $dst) (local.get $panel)))
              (local.set $j (i32.add (local.get $j) (i32.const 6)))
              (br $whole)))))
      ;; the rest, one entry at a time: the whole row when B is strided (a
      ;; transposed operand), else the ragged last panel; then zeros
      (if (i32.lt_u (local.get $j) (local.get $cols))
        (then
          (loop $rest
            (if (i32.lt_u (local.get $j) (local.get $n))
              (then (f64.store (local.get $dst) (f64.load (local.get $src))))
              (else (f64.store (local.get $dst) (f64.const 0))))
            (local.set $src (i32.add (local.get $src) (local.get $stride)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            ;; the next entry is in the same panel, or at the next panel's row p
            (local.set $dst
              (i32.add (local.get $dst)
                (select (i32.sub (local.get $panel) (i32.const 40)) (i32.const 8)
                  (i32.eqz (i32.rem_u (local.get $j) (i32.const 6))))))
            (br_if $rest (i32.lt_u (local.get $j) (local.get $cols))))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br_if $step (i32.lt_u (local.get $p) (local.get $k)))))

  ;; Swaps the first two k-steps (48 bytes each) of $count panels of $size
  ;; bytes from $at: see "Order" at the top of this file.
  (func $swap01 (param $at i32) (param $count i32) (param $size i32)
    (local $x v128)
    (loop $panel
      (local.set $x (v128.load offset=0 (local.get $at)))
      (v128.store offset=0 (local.get $at) (v128.load offset=48 (local.get $at)))
      (v128.store offset=48 (local.get $at) (local.get $x))
      (local.set $x (v128.load offset=16 (local.get $at)))
      (v128.store offset=16 (local.get $at) (v128.load offset=64 (local.get $at)))
      (v128.store offset=64 (local.get $at) (local.get $x))
      (local.set $x (v128.load offset=32 (local.get $at)))
      (v128.store offset=32 (local.get $at) (v128.load offset=80 (local.get $at)))
      (v128.store offset=80 (local.get $at) (local.get $x))
      (local.set $at (i32.add (local.get $at) (local.get $size)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br_if $panel (local.get $count))))

  ;; C = A·B; see the top of this file for the arguments.
  (func (export "matmul") (param $a i32) (param $b i32) (param $c i32)
    (param $m i32) (param $k i32) (param $n i32) (param $ap i32) (param $bp i32) (param $scratch i32)
    (param $rsA i32) (param $csA i32) (param $rsB i32) (param $csB i32)
    (local $i i32) (local $j i32) (local $r i32) (local $q i32)
    (local $bpanel i32) (local $apanel i32) (local $out i32) (local $ldc i32)
    (call $packA (local.get $a) (local.get $ap) (local.get $m) (local.get $k)
      (local.get $rsA) (local.get $csA))
    (call $packB (local.get $b) (local.get $bp) (local.get $k) (local.get $n)
      (local.get $rsB) (local.get $csB))
    (if (i32.ge_u (local.get $k) (i32.const 2))
      (then
        (call $swap01 (local.get $ap)
          (i32.div_u (i32.add (local.get $m) (i32.const 2)) (i32.const 3))
          (i32.mul (local.get $k) (i32.const 48)))
        (call $swap01 (local.get $bp)
          (i32.div_u (i32.add (local.get $n) (i32.const 5)) (i32.const 6))
          (i32.mul (local.get $k) (i32.const 48)))))
    (local.set $ldc (i32.shl (local.get $n) (i32.const 3)))
    (local.set $apanel (local.get $ap))
    (loop $rows
      (local.set $bpanel (local.get $bp))
      (local.set $j (i32.const 0))
      (loop $cols
        (local.set $out (i32.add (local.get $c)
          (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))))
        (if (i32.and
              (i32.le_u (i32.add (local.get $i) (i32.const 3)) (local.get $m))
              (i32.le_u (i32.add (local.get $j) (i32.const 6)) (local.get $n)))
          (then
            (call $tile (local.get $apanel) (local.get $bpanel) (local.get $k) (local.get $out) (local.get $ldc)))
          (else
            ;; a ragged tile: compute it whole into scratch, copy what fits
            (call $tile (local.get $apanel) (local.get $bpanel) (local.get $k) (local.get $scratch) (i32.const 48))
            (local.set $r (i32.const 0))
            (loop $tr
              (if (i32.lt_u (i32.add (local.get $i) (local.get $r)) (local.get $m))
                (then
                  (local.set $q (i32.const 0))
                  (loop $tq
                    (if (i32.lt_u (i32.add (local.get $j) (local.get $q)) (local.get $n))
                      (then
                        (f64.store
                          (i32.add (local.get $out) (i32.add (i32.mul (local.get $r) (local.get $ldc)) (i32.shl (local.get $q) (i32.const 3))))
                          (f64.load
                            (i32.add (local.get $scratch)
                              (i32.shl (i32.add (i32.mul (local.get $r) (i32.const 6)) (local.get $q)) (i32.const 3)))))))
                    (local.set $q (i32.add (local.get $q) (i32.const 1)))
                    (br_if $tq (i32.lt_u (local.get $q) (i32.const 6))))))
              (local.set $r (i32.add (local.get $r) (i32.const 1)))
              (br_if $tr (i32.lt_u (local.get $r) (i32.const 3))))))
        (local.set $bpanel (i32.add (local.get $bpanel) (i32.mul (local.get $k) (i32.const 48))))
        (local.set $j (i32.add (local.get $j) (i32.const 6)))
        (br_if $cols (i32.lt_u (local.get $j) (local.get $n))))
      (local.set $apanel (i32.add (local.get $apanel) (i32.mul (local.get $k) (i32.const 48))))
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $rows (i32.lt_u (local.get $i) (local.get $m))))))
