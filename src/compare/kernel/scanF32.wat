;; The elementwise pass of the float32 comparison (tensorMetrics.ts, scanF32), four pairs at a time.
;; Bit-identical to the JavaScript loop: f32 subtraction and division round exactly as Math.fround of the
;; double result; the tolerance tests take precomputed float32 thresholds (see scanKernel.ts); the float64 sums
;; (dot product, norms) are added one element at a time in index order, as the JavaScript loop adds them.
;;
;; scan(x, y, abs, rel, n, eps, atolNext, rtolNext) writes abs[i], rel[i] for i < n (n a multiple of 4) and the
;; results below address 256 (layout below); the caller reduces the four lanes. Pointers are byte offsets into
;; this module's memory; data starts at 256.
(module
  (memory (export "memory") 1)
  ;; Results: f64 dot @0, na @8, nb @16; four lanes each of f32 amax @64, rmax @80 and of i32 mismatches @96,
  ;; relNaN @112, nanA @128, infA @144, nanB @160, infB @176.
  (func (export "scan")
    (param $x i32) (param $y i32) (param $abs i32) (param $rel i32) (param $n i32)
    (param $eps f32) (param $atolNext f32) (param $rtolNext f32)
    (local $i i32) (local $off i32)
    (local $xv v128) (local $yv v128) (local $ad v128) (local $r v128) (local $d v128)
    (local $amax v128) (local $rmax v128)
    (local $mism v128) (local $relNaN v128) (local $nanA v128) (local $infA v128) (local $nanB v128) (local $infB v128)
    (local $epsv v128) (local $atolv v128) (local $rtolv v128) (local $infv v128)
    (local $dot f64) (local $na f64) (local $nb f64) (local $xs f64) (local $ys f64)
    (local.set $amax (f32x4.splat (f32.const -inf)))
    (local.set $rmax (f32x4.splat (f32.const -inf)))
    (local.set $epsv (f32x4.splat (local.get $eps)))
    (local.set $atolv (f32x4.splat (local.get $atolNext)))
    (local.set $rtolv (f32x4.splat (local.get $rtolNext)))
    (local.set $infv (f32x4.splat (f32.const inf)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $off (i32.shl (local.get $i) (i32.const 2)))
        (local.set $xv (v128.load (i32.add (local.get $x) (local.get $off))))
        (local.set $yv (v128.load (i32.add (local.get $y) (local.get $off))))
        (local.set $ad (f32x4.abs (f32x4.sub (local.get $xv) (local.get $yv))))
        ;; A zero (or -0) reference divides by epsilon instead.
        (local.set $d (v128.bitselect (local.get $epsv) (f32x4.abs (local.get $yv))
          (f32x4.eq (local.get $yv) (f32x4.splat (f32.const 0)))))
        (local.set $r (f32x4.div (local.get $ad) (local.get $d)))
        (v128.store (i32.add (local.get $abs) (local.get $off)) (local.get $ad))
        (v128.store (i32.add (local.get $rel) (local.get $off)) (local.get $r))
        ;; pmax keeps the accumulator when the value is NaN, as `if (v > max) max = v` does.
        (local.set $amax (f32x4.pmax (local.get $amax) (local.get $ad)))
        (local.set $rmax (f32x4.pmax (local.get $rmax) (local.get $r)))
        ;; Masks are -1 where true: subtracting them counts.
        (local.set $mism (i32x4.sub (local.get $mism) (v128.and
          (f32x4.ge (local.get $ad) (local.get $atolv)) (f32x4.ge (local.get $r) (local.get $rtolv)))))
        (local.set $relNaN (i32x4.sub (local.get $relNaN) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $nanA (i32x4.sub (local.get $nanA) (f32x4.ne (local.get $xv) (local.get $xv))))
        (local.set $infA (i32x4.sub (local.get $infA) (f32x4.eq (f32x4.abs (local.get $xv)) (local.get $infv))))
        (local.set $nanB (i32x4.sub (local.get $nanB) (f32x4.ne (local.get $yv) (local.get $yv))))
        (local.set $infB (i32x4.sub (local.get $infB) (f32x4.eq (f32x4.abs (local.get $yv)) (local.get $infv))))
        ;; The float64 sums, lane by lane in index order.
        (local.set $xs (f64.promote_f32 (f32x4.extract_lane 0 (local.get $xv))))
        (local.set $ys (f64.promote_f32 (f32x4.extract_lane 0 (local.get $yv))))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (local.get $xs) (local.get $ys))))
        (local.set $na (f64.add (local.get $na) (f64.mul (local.get $xs) (local.get $xs))))
        (local.set $nb (f64.add (local.get $nb) (f64.mul (local.get $ys) (local.get $ys))))
        (local.set $xs (f64.promote_f32 (f32x4.extract_lane 1 (local.get $xv))))
        (local.set $ys (f64.promote_f32 (f32x4.extract_lane 1 (local.get $yv))))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (local.get $xs) (local.get $ys))))
        (local.set $na (f64.add (local.get $na) (f64.mul (local.get $xs) (local.get $xs))))
        (local.set $nb (f64.add (local.get $nb) (f64.mul (local.get $ys) (local.get $ys))))
        (local.set $xs (f64.promote_f32 (f32x4.extract_lane 2 (local.get $xv))))
        (local.set $ys (f64.promote_f32 (f32x4.extract_lane 2 (local.get $yv))))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (local.get $xs) (local.get $ys))))
        (local.set $na (f64.add (local.get $na) (f64.mul (local.get $xs) (local.get $xs))))
        (local.set $nb (f64.add (local.get $nb) (f64.mul (local.get $ys) (local.get $ys))))
        (local.set $xs (f64.promote_f32 (f32x4.extract_lane 3 (local.get $xv))))
        (local.set $ys (f64.promote_f32 (f32x4.extract_lane 3 (local.get $yv))))
        (local.set $dot (f64.add (local.get $dot) (f64.mul (local.get $xs) (local.get $ys))))
        (local.set $na (f64.add (local.get $na) (f64.mul (local.get $xs) (local.get $xs))))
        (local.set $nb (f64.add (local.get $nb) (f64.mul (local.get $ys) (local.get $ys))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (f64.store (i32.const 0) (local.get $dot))
    (f64.store (i32.const 8) (local.get $na))
    (f64.store (i32.const 16) (local.get $nb))
    (v128.store (i32.const 64) (local.get $amax))
    (v128.store (i32.const 80) (local.get $rmax))
    (v128.store (i32.const 96) (local.get $mism))
    (v128.store (i32.const 112) (local.get $relNaN))
    (v128.store (i32.const 128) (local.get $nanA))
    (v128.store (i32.const 144) (local.get $infA))
    (v128.store (i32.const 160) (local.get $nanB))
    (v128.store (i32.const 176) (local.get $infB))))
