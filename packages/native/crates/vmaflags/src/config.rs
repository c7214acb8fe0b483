//! The part of a kernel configuration that decides storage: how wide the
//! hardware word is (`BITS_PER_LONG`) and how many bits a `vma_flags_t` holds
//! (`NUM_VMA_FLAG_BITS`). Everything else about a configuration (which masks
//! exist) lives with the flag tables on the TypeScript side.

/// Largest `NUM_VMA_FLAG_BITS` accepted (matches the TypeScript core).
pub const MAX_NUM_VMA_FLAG_BITS: u32 = 4096;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    bits_per_long: u32,
    num_vma_flag_bits: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeError {
    BitsPerLong(u32),
    NumVmaFlagBits(u32),
}

impl Shape {
    pub const fn new(bits_per_long: u32, num_vma_flag_bits: u32) -> Result<Shape, ShapeError> {
        if bits_per_long != 32 && bits_per_long != 64 {
            return Err(ShapeError::BitsPerLong(bits_per_long));
        }
        if num_vma_flag_bits < bits_per_long
            || num_vma_flag_bits > MAX_NUM_VMA_FLAG_BITS
            || !num_vma_flag_bits.is_multiple_of(bits_per_long)
        {
            return Err(ShapeError::NumVmaFlagBits(num_vma_flag_bits));
        }
        Ok(Shape {
            bits_per_long,
            num_vma_flag_bits,
        })
    }

    /// For storage that was itself built from a valid shape.
    pub(crate) const fn from_storage(bits_per_long: u32, num_vma_flag_bits: u32) -> Shape {
        Shape {
            bits_per_long,
            num_vma_flag_bits,
        }
    }

    pub const fn bits_per_long(self) -> u32 {
        self.bits_per_long
    }

    pub const fn num_vma_flag_bits(self) -> u32 {
        self.num_vma_flag_bits
    }

    /// `BITS_TO_LONGS(NUM_VMA_FLAG_BITS)`.
    pub const fn num_words(self) -> usize {
        (self.num_vma_flag_bits / self.bits_per_long) as usize
    }

    /// 32-bit lanes per bitmap in the shared arena layout.
    pub const fn num_lanes(self) -> usize {
        (self.num_vma_flag_bits / 32) as usize
    }

    /// Largest value of one hardware word.
    pub const fn word_max(self) -> u64 {
        if self.bits_per_long == 64 {
            u64::MAX
        } else {
            u32::MAX as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kernel_shapes() {
        let s = Shape::new(64, 128).unwrap();
        assert_eq!(s.num_words(), 2);
        assert_eq!(s.num_lanes(), 4);
        let s = Shape::new(32, 96).unwrap();
        assert_eq!(s.num_words(), 3);
        assert_eq!(s.num_lanes(), 3);
        assert_eq!(s.word_max(), u32::MAX as u64);
    }

    #[test]
    fn rejects_bad_shapes() {
        assert_eq!(Shape::new(16, 64), Err(ShapeError::BitsPerLong(16)));
        assert_eq!(Shape::new(64, 96), Err(ShapeError::NumVmaFlagBits(96)));
        assert_eq!(Shape::new(64, 32), Err(ShapeError::NumVmaFlagBits(32)));
        assert_eq!(Shape::new(32, 4128), Err(ShapeError::NumVmaFlagBits(4128)));
    }
}
